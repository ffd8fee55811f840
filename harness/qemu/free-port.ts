// A TCP port on 127.0.0.1 that nothing listens on right now. qemu binds it a moment later, so a
// port taken in between makes qemu fail at once; startVm then retries with another port.
import { createServer } from "node:net";

const handedOut = new Set<number>();

export async function freeLocalPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    // the kernel may hand the same ephemeral port out again: never twice to this process's VMs
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
