import type { Registry } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../auth.js';
import {
  errorResponses,
  idParams,
  mandateBody,
  mandateSchema,
  memberBody,
  organisationBody,
  organisationSchema,
  rightsHolderBody,
  rightsHolderSchema,
  list,
} from '../schemas.js';

/** Organisations, members, rights holders and mandates. */
export function organisationRoutes(app: FastifyInstance, registry: Registry): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/organisations', {
    schema: {
      tags: ['organisations'],
      summary: 'Create an organisation (you become its admin)',
      body: organisationBody,
      response: { 201: organisationSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await registry.organisations.createOrganisation(actorOf(request), request.body)),
  });

  r.get('/v1/organisations', {
    schema: {
      tags: ['organisations'],
      summary: 'Organisations you belong to',
      response: { 200: z.object({ items: list(organisationSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await registry.organisations.listOrganisations(actorOf(request)) }),
  });

  r.post('/v1/organisations/:id/members', {
    schema: {
      tags: ['organisations'],
      summary: 'Add a member (organisation admins)',
      params: idParams,
      body: memberBody,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await registry.organisations.addMember(actorOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  });

  r.post('/v1/organisations/:id/mandates', {
    schema: {
      tags: ['organisations'],
      summary: 'Give the organisation a mandate to act for your works (the rights holder)',
      params: idParams,
      body: mandateBody,
      response: { 201: mandateSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          await registry.organisations.grantMandate(actorOf(request), request.params.id, request.body.rightsHolderId),
        ),
  });

  r.delete('/v1/mandates/:id', {
    schema: {
      tags: ['organisations'],
      summary: 'Withdraw a mandate (the rights holder)',
      params: idParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await registry.organisations.revokeMandate(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  r.post('/v1/rights-holders', {
    schema: {
      tags: ['organisations'],
      summary: 'Create a rights holder your organisation represents (organisation admins, operators)',
      body: rightsHolderBody,
      response: { 201: rightsHolderSchema, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await registry.organisations.createRightsHolder(actorOf(request), request.body)),
  });

  r.get('/v1/rights-holders', {
    schema: {
      tags: ['organisations'],
      summary: 'Rights holders you act for',
      response: { 200: z.object({ items: list(rightsHolderSchema) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await registry.organisations.listRightsHolders(actorOf(request)) }),
  });
}
