import { checkPhone } from './phone';

describe('checkPhone', () => {
  it.each([
    ['+32 470 12 34 56', '+32470123456'],
    ['0470/12.34.56', '+32470123456'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+352 621 123 456', '+352621123456'],
    ['+31 6 12345678', '+31612345678'],
    ['+49 151 23456789', '+4915123456789'],
    ['+41 79 123 45 67', '+41791234567'],
  ])('reads %s as %s', (typed, e164) => {
    expect(checkPhone(typed)).toEqual({ ok: true, e164 });
  });

  it('reads a national number in the country given', () => {
    expect(checkPhone('06 12 34 56 78', 'FR')).toEqual({ ok: true, e164: '+33612345678' });
  });

  it.each(['12', '+32 12', 'not a phone', '+999 1234 5678', ''])('refuses %j', (typed) => {
    expect(checkPhone(typed)).toEqual({ ok: false, reason: 'is not a valid phone number' });
  });

  it('refuses a landline, which cannot receive the code', () => {
    expect(checkPhone('+32 2 555 12 12')).toEqual({ ok: false, reason: 'cannot receive an SMS (a landline?)' });
  });
});
