import 'reflect-metadata';
import { createPrivateKey, generateKeyPairSync, KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);

const subtle = webcrypto.subtle;
const EC = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' };

/** A key pair as a CPE would make it; the private key as PEM (what the member keeps at home). */
export async function makeKeyPair(algorithm: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams = EC) {
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { keys, privateKeyPem };
}

/** The association's CA: a self-signed ECDSA P-256 certificate and its key, both PEM. */
export async function makeCa(name = 'CN=Lanterne test CA') {
  const { keys, privateKeyPem } = await makeKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys: keys as never,
    signingAlgorithm: EC_SIGN,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { certificatePem: certificate.toString('pem'), keyPem: privateKeyPem };
}

/** A PEM certificate request made with a fresh key, as `openssl req -new` would; with the key kept "at home". */
export async function makeCsr(options: { subject?: string; algorithm?: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams; signing?: webcrypto.Algorithm | webcrypto.EcdsaParams } = {}) {
  const { keys, privateKeyPem } = await makeKeyPair(options.algorithm ?? EC);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: options.subject ?? 'CN=my-cpe',
    keys: keys as never,
    signingAlgorithm: options.signing ?? EC_SIGN,
  });
  return { csrPem: request.toString('pem'), privateKeyPem };
}

/** A WireGuard key pair as `wg genkey | tee priv | wg pubkey` makes it. */
export function makeWireguardKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey: rawKey(privateKey, 'pkcs8'), publicKey: rawKey(publicKey, 'spki') };
}

function rawKey(key: KeyObject, type: 'pkcs8' | 'spki'): string {
  const der = key.export({ type, format: 'der' } as never) as Buffer;
  return der.subarray(der.length - 32).toString('base64');
}

/** The environment of an association whose tunnels are fully configured. */
export async function associationEnvironment(overrides: Record<string, string> = {}) {
  const ca = await makeCa();
  const server = makeWireguardKeys();
  return {
    env: {
      LANTERNE_WIREGUARD_ENDPOINT: 'vpn.example.org:51820',
      LANTERNE_WIREGUARD_PUBLIC_KEY: server.publicKey,
      LANTERNE_OPENVPN_REMOTE: 'vpn.example.org 1194 udp',
      LANTERNE_OPENVPN_CA_CERT: ca.certificatePem,
      LANTERNE_OPENVPN_CA_KEY: ca.keyPem,
      ...overrides,
    },
    ca,
    server,
  };
}

/** The association's OpenVPN server certificate (serverAuth), signed by the CA of makeCa; key and certificate PEM. */
export async function makeServerCertificate(ca: { certificatePem: string; keyPem: string }) {
  const { keys, privateKeyPem } = await makeKeyPair();
  const issuer = new x509.X509Certificate(ca.certificatePem);
  const caKey = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' });
  const signingKey = await subtle.importKey('pkcs8', caKey, EC, false, ['sign']);
  const certificate = await x509.X509CertificateGenerator.create({
    subject: 'CN=vpn.example.org',
    issuer: issuer.subjectName,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    publicKey: keys.publicKey as never,
    signingKey: signingKey as never,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  return { certificatePem: certificate.toString('pem'), keyPem: privateKeyPem };
}
