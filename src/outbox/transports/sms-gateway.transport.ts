import Client, { HttpClient, ProcessState } from 'android-sms-gateway';
import { OutgoingMessage, Transport, TransportError } from '../transport';
import { requestJson } from './http';

/** The gateway client's HTTP client, on Node's fetch. */
const fetchClient: HttpClient = {
  get: (url, headers) => requestJson('GET', url, undefined, headers),
  post: (url, body, headers) => requestJson('POST', url, body, headers),
  put: (url, body, headers) => requestJson('PUT', url, body, headers),
  patch: (url, body, headers) => requestJson('PATCH', url, body, headers),
  delete: (url, headers) => requestJson('DELETE', url, undefined, headers),
};

/**
 * SMS through the association's own Android phone running SMS Gateway for Android in local-server
 * mode: the app answers on the phone's address (`http://<phone>:8080`) with basic authentication.
 */
export class SmsGatewayTransport implements Transport {
  readonly name = 'sms-gateway';
  private readonly client: Client;

  constructor(settings: { url: string; username: string; password: string }) {
    this.client = new Client(settings.username, settings.password, fetchClient, settings.url.replace(/\/+$/, ''));
  }

  async send(message: OutgoingMessage): Promise<void> {
    const state = await this.client.send({ message: message.rendered.body, phoneNumbers: [message.rendered.to] });
    if (state?.state === ProcessState.Failed) throw new TransportError('sms-gateway: Failed');
  }
}
