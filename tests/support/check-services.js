#!/usr/bin/env node
// Tests run against a real PostgreSQL and Redis; say plainly which one is missing instead of
// letting every test file time out.
const net = require('node:net');

const services = [
  { name: 'PostgreSQL', url: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', port: 5432 },
  { name: 'Redis', url: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379', port: 6379 },
];

function reachable({ url, port }) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || port), timeout: 3000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

(async () => {
  const missing = [];
  for (const service of services) if (!(await reachable(service))) missing.push(`${service.name} at ${service.url}`);
  if (missing.length) {
    console.error(`Tests need a running ${missing.join(' and ')}.`);
    console.error('Start them (as root): pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no');
    console.error('or point TEST_DATABASE_URL / TEST_REDIS_URL at running servers. `.ci/run` starts them for you.');
    process.exit(1);
  }
})();
