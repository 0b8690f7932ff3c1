import { createPrivateKey, X509Certificate } from 'node:crypto';
import { makeCa, makeCsr } from '../../tests/support/tunnel-association';
import { parseOpenvpnCa } from '../config/config';
import { readCertificateRequest, signClientCertificate } from './openvpn-certificate';

const SUBSCRIPTION = '7c1f6e52-3b1a-4c1e-9d1f-0a1b2c3d4e5f';

async function readable(pem: string) {
  const check = await readCertificateRequest(pem);
  if (!check.ok) throw new Error(check.reason);
  return check.request;
}

describe('readCertificateRequest', () => {
  it('accepts a request signed by its own ECDSA or RSA key', async () => {
    expect((await readCertificateRequest((await makeCsr()).csrPem)).ok).toBe(true);
    const rsa = await makeCsr({ algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, signing: { name: 'RSASSA-PKCS1-v1_5' } });
    expect((await readCertificateRequest(rsa.csrPem)).ok).toBe(true);
  });

  it('refuses a request whose signature does not verify', async () => {
    const { csrPem } = await makeCsr();
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0x01;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(await readCertificateRequest(tampered)).toEqual({ ok: false, reason: expect.stringContaining('signature that does not verify') });
  });

  it('refuses an RSA key shorter than 2048 bits', async () => {
    const weak = await makeCsr({ algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, signing: { name: 'RSASSA-PKCS1-v1_5' } });
    expect(await readCertificateRequest(weak.csrPem)).toEqual({ ok: false, reason: expect.stringContaining('RSA of 2048 bits or more') });
  });

  it.each([
    ['a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'one PEM certificate request'],
    ['garbage inside the armour', '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', 'not a well-formed PKCS#10'],
    ['plain text', 'my CSR', 'one PEM certificate request'],
    ['nothing', '', 'one PEM certificate request'],
  ])('refuses %s', async (_, pem, reason) => {
    expect(await readCertificateRequest(pem)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe('signClientCertificate', () => {
  it('signs a client certificate for the subscription, whatever subject the request asked for', async () => {
    const caPem = await makeCa();
    const ca = parseOpenvpnCa(caPem.certificatePem, caPem.keyPem);
    const { csrPem, privateKeyPem } = await makeCsr({ subject: 'CN=Jane Doe, O=Home' });
    const notBefore = new Date('2026-06-01T12:00:00Z');
    const notAfter = new Date('2028-06-01T12:00:00Z');
    const signed = await signClientCertificate(await readable(csrPem), ca, { commonName: SUBSCRIPTION, notBefore, notAfter });

    const certificate = new X509Certificate(signed.pem);
    const issuer = new X509Certificate(caPem.certificatePem);
    expect(certificate.subject).toBe(`CN=${SUBSCRIPTION}`);
    expect(certificate.checkIssued(issuer)).toBe(true);
    expect(certificate.verify(issuer.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(certificate.serialNumber.toLowerCase()).toBe(signed.serialNumber);
    expect(new Date(certificate.validFrom)).toEqual(notBefore);
    expect(new Date(certificate.validTo)).toEqual(notAfter);
  });
});
