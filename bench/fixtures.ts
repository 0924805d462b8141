import type { Actor, Registry } from '@heoga/registry';

/** Synthetic catalog data for benchmarks: deterministic, realistic-looking rows. */

function isbn13(n: number): string {
  const body = `979${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A CSV catalog of `rows` works for one organisation, all by the rights holder `holderId`. */
export function syntheticCatalogCsv(rows: number, holderId: string): string {
  const header =
    'external_id,kind,title:ko,title:en,isbn,url,rights_holders,ai-train,ai-train-genai,ai-input,ai-index,search,price,currency,unit,attribution';
  const lines = [header];
  for (let i = 0; i < rows; i += 1) {
    const stance = i % 3 === 0 ? 'license' : i % 3 === 1 ? 'deny' : 'allow';
    lines.push(
      [
        `cat-${i}`,
        i % 4 === 0 ? 'image' : 'text',
        `작품 ${i}`,
        `Work ${i}`,
        isbn13(i),
        `https://publisher.example/works/${i}`,
        `${holderId}:author:100`,
        stance,
        stance,
        'deny',
        'deny',
        'allow',
        '50000',
        'KRW',
        'per-work',
        'yes',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export { isbn13 };

/** An organisation admin, their organisation and one rights holder it represents, in a fresh registry. */
export async function benchOrganisation(
  registry: Registry,
): Promise<{ actor: Actor; organisationId: string; holderId: string }> {
  const admin = await registry.accounts.signUp({
    email: 'bench@heoga.example',
    password: 'bench password 1234',
    displayName: 'bench',
    role: 'org-admin',
  });
  const actor: Actor = { accountId: admin.id, role: 'org-admin', scopes: ['read', 'write', 'import'], via: 'local' };
  const org = await registry.organisations.createOrganisation(actor, { name: 'Bench org' });
  const holder = await registry.organisations.createRightsHolder(actor, {
    kind: 'person',
    name: 'Bench author',
    organisationId: org.id,
  });
  return { actor, organisationId: org.id, holderId: holder.id };
}
