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
