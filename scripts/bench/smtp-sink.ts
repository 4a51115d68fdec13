/**
 * A loopback SMTP relay for `BULK_MAIL=smtp npm run bench -- bulk`, in its own process as a
 * real relay would be: it accepts every message and keeps only counts. Prints one JSON line
 * `{"port": …}` when listening; on SIGTERM prints `{"messages": …, "connections": …}` and exits.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { loopbackRelayOptions } from '../../tests/helpers/smtp.js';

let messages = 0;
let connections = 0;
const server = new SMTPServer({
  ...loopbackRelayOptions(() => connections++),
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      messages++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ messages, connections }));
  server.close(() => process.exit(0));
});
