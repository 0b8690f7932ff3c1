import { addressLines, addressOnOneLine, messageLanguage } from './postal-letter';

const address = { line1: 'Rue de la Loi 16', line2: 'Boîte 3', postalCode: '1000', city: 'Bruxelles', country: 'BE' as const };

describe('postal letters', () => {
  it('addresses a letter with the country in capitals, in the language of the letter', () => {
    expect(addressLines('Alice Martin', address, 'fr')).toEqual(['Alice Martin', 'Rue de la Loi 16', 'Boîte 3', '1000 Bruxelles', 'BELGIQUE']);
    expect(addressLines('Alice Martin', { ...address, line2: undefined }, 'en')).toEqual(['Alice Martin', 'Rue de la Loi 16', '1000 Bruxelles', 'BELGIUM']);
  });

  it('writes the address on one line for the outbox', () => {
    expect(addressOnOneLine(address)).toBe('Rue de la Loi 16, Boîte 3, 1000 Bruxelles, BE');
  });

  it('speaks French to any French tag and English to the others', () => {
    expect(messageLanguage('fr')).toBe('fr');
    expect(messageLanguage('fr-BE')).toBe('fr');
    expect(messageLanguage('nl')).toBe('en');
  });
});
