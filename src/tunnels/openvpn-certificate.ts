/**
 * Members' OpenVPN certificates: a certificate signing request made on the CPE (whose private key
 * never leaves it) is checked and signed by the association's CA. Lanterne chooses what the
 * certificate says: the subject is the subscription (the CN the server's client-config-dir files are
 * named by), the usage is TLS client authentication only; nothing the request asks for is copied.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the metadata polyfill loaded first.
import 'reflect-metadata';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { OpenvpnCa } from '../config/config';

// @peculiar/x509 signs and verifies through WebCrypto, which Node has under crypto.webcrypto.
x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);

const PEM_REQUEST = /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

/** Key types a member's CPE may use: what OpenVPN and WebCrypto both handle. */
const ACCEPTED_KEYS = 'RSA of 2048 bits or more, ECDSA on P-256 or P-384, or Ed25519';

export type CertificateRequest = x509.Pkcs10CertificateRequest;
export type CsrCheck = { ok: true; request: CertificateRequest } | { ok: false; reason: string };

/** A PEM PKCS#10 request whose self-signature holds, over a key type that the tunnel accepts. */
export async function readCertificateRequest(pem: string): Promise<CsrCheck> {
  const text = pem.trim();
  if (!PEM_REQUEST.test(text)) return { ok: false, reason: 'must be one PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----), as `openssl req -new` writes it' };
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(text);
  } catch {
    return { ok: false, reason: 'is not a well-formed PKCS#10 certificate request' };
  }
  const key = describeKey(request.publicKey.algorithm);
  if (!key.ok) return key;
  let signed: boolean;
  try {
    signed = await request.verify();
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, reason: 'has a signature that does not verify with its own public key: make the request again with the private key it names' };
  return { ok: true, request };
}

function describeKey(algorithm: webcrypto.Algorithm): { ok: true } | { ok: false; reason: string } {
  const details = algorithm as webcrypto.Algorithm & { namedCurve?: string; modulusLength?: number };
  const accepted =
    (details.name === 'RSASSA-PKCS1-v1_5' && (details.modulusLength ?? 0) >= 2048) ||
    (details.name === 'ECDSA' && (details.namedCurve === 'P-256' || details.namedCurve === 'P-384')) ||
    details.name === 'Ed25519';
  return accepted ? { ok: true } : { ok: false, reason: `has a key that the tunnel does not accept; use ${ACCEPTED_KEYS}` };
}

export interface ClientCertificate {
  pem: string;
  /** Hexadecimal, as OpenSSL prints it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export async function signClientCertificate(
  request: x509.Pkcs10CertificateRequest,
  ca: OpenvpnCa,
  { commonName, notBefore, notAfter }: { commonName: string; notBefore: Date; notAfter: Date },
): Promise<ClientCertificate> {
  const caCertificate = new x509.X509Certificate(ca.certificate);
  const { importAlgorithm, signingAlgorithm } = signingParameters(ca.key);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', ca.key.export({ type: 'pkcs8', format: 'der' }), importAlgorithm, false, ['sign']);
  const authority = caCertificate.getExtension(x509.SubjectKeyIdentifierExtension);
  const serialNumber = positiveSerial();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: [{ CN: [commonName] }],
    issuer: caCertificate.subjectName,
    notBefore,
    notAfter,
    publicKey: request.publicKey,
    signingKey,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
      // The CA's own identifier when it states one, so that chain building matches it exactly.
      authority ? new x509.AuthorityKeyIdentifierExtension(authority.keyId) : await x509.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
    ],
  });
  return { pem: certificate.toString('pem'), serialNumber, notBefore, notAfter };
}

/** 16 random bytes, the high bit cleared so that the DER integer is positive (RFC 5280 §4.1.2.2). */
function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function signingParameters(key: KeyObject): { importAlgorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm; signingAlgorithm: webcrypto.Algorithm | webcrypto.EcdsaParams } {
  if (key.asymmetricKeyType === 'rsa') {
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { importAlgorithm: rsa, signingAlgorithm: rsa };
  }
  if (key.asymmetricKeyType === 'ec') {
    const p384 = key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
    return { importAlgorithm: { name: 'ECDSA', namedCurve: p384 ? 'P-384' : 'P-256' }, signingAlgorithm: { name: 'ECDSA', hash: p384 ? 'SHA-384' : 'SHA-256' } };
  }
  // The configuration admits no other type (parseOpenvpnCa).
  return { importAlgorithm: { name: 'Ed25519' }, signingAlgorithm: { name: 'Ed25519' } };
}
