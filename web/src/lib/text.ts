// Vietnamese text helpers for the screens.

/** 'LÒ VĂN A' → 'Lò Văn A' (NFC; each word's first letter upper-case, the rest lower-case). */
export function titleCaseVi(text: string): string {
  return text
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => {
      const lower = w.toLocaleLowerCase('vi');
      const first = Array.from(lower)[0] ?? '';
      return first.toLocaleUpperCase('vi') + lower.slice(first.length);
    })
    .join(' ');
}

/** Vietnamese names are family name first: 'Lò Văn A' → family 'Lò', given ['Văn', 'A']. */
export function splitVietnameseName(full: string): { family: string; given: string[] } {
  const words = full.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  return { family: words[0] ?? '', given: words.slice(1) };
}
