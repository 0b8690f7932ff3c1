/** False for strings holding an unpaired UTF-16 surrogate, which no UTF-8 encoding can represent. */
export function isWellFormedUnicode(text: string): boolean {
  // String.prototype.isWellFormed (ES2024, native since Node 20; the lib here is ES2022): a /\p{Cs}/u
  // test over every string of every entry cost a tenth of a ledger append.
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
