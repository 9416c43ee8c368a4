/**
 * A TCP proxy on loopback between the browser and the gateway, to cut the network for real: `cut()` resets
 * every open connection (no WebSocket close frame: the browser sees an abnormal close, the gateway a dead peer)
 * and resets new ones until `restore()`. (Playwright's context.setOffline does not touch open WebSockets.)
 */
import net from 'node:net';

export async function startCutProxy(targetHost, targetPort) {
  const open = new Set();
  let cut = false;
  let accepted = 0;
  let refused = 0;
  const server = net.createServer((client) => {
    if (cut) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream };
    open.add(pair);
    const drop = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    /** Resets every open connection and every new one until restore(). @returns number of connections cut */
    cut() {
      cut = true;
      const n = open.size;
      for (const { client, upstream } of [...open]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      open.clear();
      return n;
    },
    restore() {
      cut = false;
    },
    stats: () => ({ accepted, refused, open: open.size }),
    close: () => {
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((ok) => server.close(ok));
    },
  };
}
