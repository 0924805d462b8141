import {
  AI_CRAWLERS,
  signalHeaders,
  tdmPolicyFor,
  tdmrepForPolicy,
  writeAiTxt,
  writeApacheSnippet,
  writeCaddySnippet,
  writeNginxSnippet,
  writeRobotsTxt,
  writeRsl,
  writeTdmPolicy,
  writeTdmrepJson,
  writeWordPressSnippet,
  USES,
  usesRestrictedBy,
  type LicenceTerms,
  type PolicyByUse,
  type ServerSnippetOptions,
  type Use,
} from '@heoga/core';
import { policyInput, RegistryError } from '@heoga/registry';
import { z } from 'zod';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { readJsonInput } from '../read-input.js';

/** The signal formats `heoga signals` writes. */
export const SIGNAL_FORMATS = [
  'robots',
  'tdmrep',
  'tdm-policy',
  'rsl',
  'ai-txt',
  'headers',
  'nginx',
  'apache',
  'caddy',
  'wordpress',
  'all',
] as const;

/** One signal format. */
export type SignalFormat = (typeof SIGNAL_FORMATS)[number];

const policyFile = z.strictObject({
  /** A stance per use, as in the registry API (`{"ai-train": {"kind": "deny"}, …}`); uses left out are unknown. */
  policy: z.unknown(),
  /** Absolute URL where the RSL licence document will be published (written as robots.txt `License:`). */
  licenseUrl: z.url().optional(),
  /** Absolute URL where the TDM policy will be published (tdmrep.json `tdm-policy`). */
  tdmPolicyUrl: z.url().optional(),
  /** Where a licensee buys a licence (RSL `<custom>`). */
  licenceUrl: z.url().optional(),
  /** Media types refused in ai.txt when AI training is refused or priced (default: all). */
  aiTxtMedia: z.array(z.enum(['text', 'images', 'audio', 'video', 'code'])).optional(),
});

function sections(
  format: SignalFormat,
  policy: PolicyByUse,
  terms: { [U in Use]?: LicenceTerms },
  file: z.infer<typeof policyFile>,
): string[] {
  const want = (f: SignalFormat) => format === f || format === 'all';
  const out: string[] = [];
  const titled = (title: string, body: string) =>
    format === 'all' ? `### ${title}\n${body.trimEnd()}\n` : `${body.trimEnd()}\n`;
  const trainingRestricted = policy['ai-train'] === 'deny' || policy['ai-train'] === 'license';
  const crawlers = AI_CRAWLERS.filter((c) => c.tokenValid && c.uses.includes('ai-train')).map((c) => c.name);
  // The snippets take the same inputs as the writers below, so they publish the same choice as the files they serve.
  const snippetOptions: ServerSnippetOptions = {
    aiCrawlers: crawlers,
    ...(file.licenseUrl ? { licenseUrl: file.licenseUrl } : {}),
    ...(file.tdmPolicyUrl ? { tdmPolicyUrl: file.tdmPolicyUrl } : {}),
  };
  if (want('robots')) {
    out.push(
      titled(
        'robots.txt',
        writeRobotsTxt(policy, { aiCrawlers: crawlers, ...(file.licenseUrl ? { licenseUrl: file.licenseUrl } : {}) }),
      ),
    );
  }
  if (want('tdmrep')) {
    const publication = tdmrepForPolicy(policy, file.tdmPolicyUrl ? { policyUrl: file.tdmPolicyUrl } : {});
    const body =
      publication.reservation === 'unset'
        ? '[]\n'
        : writeTdmrepJson([
            {
              location: '/',
              reservation: publication.reservation,
              ...(publication.policyUrl ? { policyUrl: publication.policyUrl } : {}),
            },
          ]);
    out.push(titled('/.well-known/tdmrep.json', body));
  }
  if (want('tdm-policy')) {
    const tdm = tdmPolicyFor(policy, { uid: file.tdmPolicyUrl ?? 'urn:heoga:tdm-policy' });
    out.push(titled('TDM policy (ODRL)', tdm ? writeTdmPolicy(tdm) : '{}\n'));
  }
  if (want('rsl'))
    out.push(
      titled('RSL licence', writeRsl(policy, { terms, ...(file.licenceUrl ? { licenceUrl: file.licenceUrl } : {}) })),
    );
  if (want('ai-txt')) {
    out.push(titled('ai.txt', writeAiTxt({ refuse: trainingRestricted ? (file.aiTxtMedia ?? 'all') : [] })));
  }
  if (want('headers')) {
    const lines = signalHeaders(policy, snippetOptions).map((h) => `${h.name}: ${h.value}`);
    out.push(titled('HTTP response headers', `${lines.join('\n')}\n`));
  }
  if (want('nginx')) out.push(titled('nginx', writeNginxSnippet(policy, snippetOptions)));
  if (want('apache')) out.push(titled('Apache httpd', writeApacheSnippet(policy, snippetOptions)));
  if (want('caddy')) out.push(titled('Caddy', writeCaddySnippet(policy, snippetOptions)));
  if (want('wordpress')) out.push(titled('WordPress (PHP)', writeWordPressSnippet(policy, snippetOptions)));
  return out;
}

/**
 * `heoga signals --policy FILE --format F`: publishes one choice (a stance per use) as every machine-readable
 * signal: robots.txt (with the AI crawlers, Content-Usage, Content-Signal and License), tdmrep.json and its TDM
 * policy, an RSL licence, ai.txt, HTTP header lines, and ready-to-paste nginx, Apache, Caddy and WordPress snippets that
 * send those headers and serve those files. Writers are conservative: a signal that cannot say "for a
 * price" says "no" (docs/policy.md, Protocol words).
 */
export async function runSignals(io: CliIo, options: { policy: string; format: SignalFormat }): Promise<ExitCode> {
  const parsedFile = policyFile.safeParse(await readJsonInput(io, options.policy));
  if (!parsedFile.success) {
    const issue = parsedFile.error.issues[0];
    throw new CliError(
      'JSON_INVALID',
      `${options.policy}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  const parsedPolicy = policyInput.safeParse(parsedFile.data.policy ?? {});
  if (!parsedPolicy.success) {
    throw new RegistryError('VALIDATION_FAILED', `${options.policy}: the policy is not valid`, {
      issues: parsedPolicy.error.issues.map((i) => ({ path: `policy.${i.path.join('.')}`, message: i.message })),
    });
  }
  const stances = parsedPolicy.data;
  const policy = Object.fromEntries(USES.map((u) => [u, stances[u]?.kind ?? 'unknown'])) as PolicyByUse;
  const terms: { [U in Use]?: LicenceTerms } = {};
  for (const u of USES) {
    const stance = stances[u];
    if (stance?.kind === 'license') terms[u] = stance.terms;
  }
  // A price on a use prices the uses it contains (ai-train → ai-train-genai), on the same terms unless they have their own.
  for (const u of USES) {
    const own = terms[u];
    if (own) for (const narrower of usesRestrictedBy(u)) terms[narrower] ??= own;
  }
  io.stdout(sections(options.format, policy, terms, parsedFile.data).join('\n'));
  return EXIT.ok;
}
