import net from 'node:net';

/**
 * A loopback TCP relay between the app and a real FerretDB that reads just enough of the
 * MongoDB wire protocol (OP_MSG: the command's name and collection) to strike at an exact
 * step: the database (or the app) is killed when a given write arrives ("before": the write
 * never reaches the database) or when its reply comes back ("after": the write is committed
 * but the app never hears so, the worst case). Nothing is mocked: every byte is the real
 * driver's and the real server's.
 */
export interface FaultTrigger {
  command: string;
  collection: string;
  when: 'before' | 'after';
  /** Strike at the nth matching message (1 = the first). */
  nth?: number;
  /** Kills something (FerretDB or the app); the relay then cuts every connection. */
  strike: () => Promise<void> | void;
}

export interface FaultProxy {
  readonly port: number;
  readonly uri: string;
  arm(trigger: FaultTrigger): void;
  /** Resolves when the armed trigger has struck. */
  struck(): Promise<void>;
  close(): Promise<void>;
}

const OP_MSG = 2013;

/** The command name and its collection (the first element of the body section). */
export function commandOf(msg: Buffer): { requestId: number; name: string; collection: string } {
  const requestId = msg.readInt32LE(4);
  if (msg.readInt32LE(12) !== OP_MSG || msg[20] !== 0)
    return { requestId, name: '', collection: '' };
  const type = msg[25];
  const end = msg.indexOf(0, 26);
  const name = msg.toString('utf8', 26, end);
  let collection = '';
  if (type === 0x02) {
    const len = msg.readInt32LE(end + 1);
    collection = msg.toString('utf8', end + 5, end + 5 + len - 1);
  }
  return { requestId, name, collection };
}

/** Splits a byte stream into whole wire messages (length-prefixed). */
function framer(onMessage: (msg: Buffer) => void) {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4) {
      const len = pending.readInt32LE(0);
      if (pending.length < len) break;
      onMessage(pending.subarray(0, len));
      pending = pending.subarray(len);
    }
  };
}

export async function startFaultProxy(upstreamPort: () => number): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  let trigger: (FaultTrigger & { seen: number }) | undefined;
  let striking = false;
  let resolveStruck: () => void = () => {};
  let struckPromise = Promise.resolve();

  const cutAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const strike = async () => {
    const t = trigger!;
    trigger = undefined;
    striking = true;
    try {
      await t.strike();
    } finally {
      cutAll();
      striking = false;
      resolveStruck();
    }
  };

  const server = net.createServer((client) => {
    if (striking) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort() });
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    // Requests whose reply must not reach the app ("after").
    const awaited = new Set<number>();
    client.on(
      'data',
      framer((msg) => {
        if (striking) return;
        const t = trigger;
        if (t) {
          const cmd = commandOf(msg);
          if (cmd.name === t.command && cmd.collection === t.collection) {
            t.seen++;
            if (t.seen === (t.nth ?? 1)) {
              if (t.when === 'before') {
                void strike();
                return;
              }
              awaited.add(cmd.requestId);
            }
          }
        }
        upstream.write(msg);
      }),
    );
    upstream.on(
      'data',
      framer((msg) => {
        if (striking) return;
        if (awaited.size && awaited.has(msg.readInt32LE(8))) {
          void strike();
          return;
        }
        client.write(msg);
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    uri: `mongodb://127.0.0.1:${port}`,
    arm(t) {
      trigger = { ...t, seen: 0 };
      struckPromise = new Promise((resolve) => (resolveStruck = resolve));
    },
    struck: () => struckPromise,
    async close() {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
