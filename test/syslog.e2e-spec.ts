import request from 'supertest';
import { createSocket } from 'node:dgram';
import { connect, Socket } from 'node:net';
import { SyslogService } from '../src/syslog/syslog.service';
import { eventually, startApp, TestApp } from './harness';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('syslog listeners', () => {
  let t: TestApp;
  let tcpPort: number;
  let udpPort: number;
  beforeAll(async () => {
    t = await startApp({
      SYSLOG_TCP_PORT: '0',
      SYSLOG_UDP_PORT: '0',
      SYSLOG_MAX_MESSAGE: '2048',
      SYSLOG_MAX_CONNECTIONS_PER_IP: '3',
    });
    const addresses = t.app.get(SyslogService).addresses();
    tcpPort = addresses.tcp?.port as number;
    udpPort = addresses.udp?.port as number;
  });
  afterAll(() => t.close());

  it('listens on loopback only by default', () => {
    expect(t.app.get(SyslogService).addresses().tcp?.address).toBe('127.0.0.1');
  });

  it('reads LF-framed and octet-counted messages over TCP and blocks the brute force in them', async () => {
    const socket = await open(tcpPort);
    const line = (i: number) =>
      `<38>Nov 24 10:00:0${i} bastion-1 sshd[81${i}]: Failed password for root from 203.0.113.110 port 4${i}000 ssh2`;
    socket.write(`${line(1)}\n${line(2)}\n`);
    const counted = [3, 4, 5].map((i) => Buffer.from(line(i)));
    socket.write(Buffer.concat(counted.flatMap((m) => [Buffer.from(`${m.length} `), m])));
    await eventually(async () => {
      const actor = await request(t.server).get('/actors/203.0.113.110').expect(200);
      expect(actor.body.profile.eventCount).toBe(5);
      expect(actor.body.decision).toMatchObject({ action: 'block', ruleId: 'ssh-brute-force' });
    });
    socket.destroy();
  });

  it('keeps one TCP connection as one stream: an IIS #Fields: directive orders the lines after it', async () => {
    const socket = await open(tcpPort);
    socket.write('#Fields: c-ip date time cs-method cs-uri-stem sc-status\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('203.0.113.112 2026-11-24 10:00:00 GET /index.php?id=1%27%20OR%201=1-- 500\n');
    await eventually(async () => {
      const actor = await request(t.server).get('/actors/203.0.113.112').expect(200);
      expect(actor.body.recentEvents[0]).toMatchObject({ url: '/index.php?id=1%27%20OR%201=1--', httpStatus: 500 });
    });
    socket.destroy();
  });

  it('reads UDP datagrams', async () => {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) =>
      udp.send(
        '<38>1 2026-11-24T10:00:00Z web-1 sshd 1 - - Invalid user oracle from 203.0.113.111 port 5000\n',
        udpPort,
        '127.0.0.1',
        () => resolve(),
      ),
    );
    udp.close();
    await eventually(async () => {
      await request(t.server).get('/actors/203.0.113.111').expect(200);
    });
  });

  it('closes a connection that announces a frame over SYSLOG_MAX_MESSAGE, and keeps serving others', async () => {
    const socket = await open(tcpPort);
    socket.write(`5000 ${'x'.repeat(100)}`);
    await closed(socket);
    const other = await open(tcpPort);
    other.write('<38>Nov 24 10:00:00 h sshd[1]: Failed password for root from 203.0.113.112 port 1 ssh2\n');
    await eventually(async () => {
      await request(t.server).get('/actors/203.0.113.112').expect(200);
    });
    other.destroy();
  });

  it('refuses connections past SYSLOG_MAX_CONNECTIONS_PER_IP', async () => {
    const sockets = await Promise.all([open(tcpPort), open(tcpPort), open(tcpPort)]);
    const extra = await open(tcpPort);
    await closed(extra);
    expect(t.app.get(SyslogService).counters.refusedConnections).toBeGreaterThanOrEqual(1);
    sockets.forEach((socket) => socket.destroy());
    await eventually(() => {
      expect(t.app.get(SyslogService).openConnections).toBe(0);
    });
  });

  it('counts lines it cannot use without storing them', async () => {
    const before = t.app.get(SyslogService).counters.rejected;
    const socket = await open(tcpPort);
    socket.write('<38>Nov 24 10:00:00 h cron[1]: (root) CMD (run-parts /etc/cron.hourly)\n');
    await eventually(() => {
      expect(t.app.get(SyslogService).counters.rejected).toBe(before + 1);
    });
    socket.destroy();
  });
});
