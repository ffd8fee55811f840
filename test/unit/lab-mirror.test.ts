// The Debian mirror for the lab image comes from the host's apt sources, one-line or deb822.
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostDebianMirrors, parseAptSources, pickMirrors } from "../../harness/images/mirror.ts";

const DEB822 = `Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
`;

describe("apt sources", () => {
  it("reads deb822 stanzas, skipping comments and deb-src", () => {
    const s = parseAptSources(DEB822, true);
    expect(s).toEqual([
      { uri: "http://mirror.example/debian", suites: ["bookworm", "bookworm-updates"] },
      { uri: "http://mirror.example/debian-security", suites: ["bookworm-security"] },
    ]);
    expect(pickMirrors(s)).toEqual({
      main: "http://mirror.example/debian",
      security: "http://mirror.example/debian-security",
    });
  });

  it("reads one-line sources with options, and derives the security mirror when none is listed", () => {
    const s = parseAptSources(
      "# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main\ndeb-src http://x " +
        "bookworm main\n",
      false,
    );
    expect(s).toEqual([{ uri: "http://m.example/debian", suites: ["bookworm"] }]);
    expect(pickMirrors(s)).toEqual({ main: "http://m.example/debian", security: "http://m.example/debian-security" });
  });

  it("takes the host's files, ignores disabled ones, and lets the environment override", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drdrill-apt-"));
    await mkdir(join(dir, "sources.list.d"));
    await writeFile(join(dir, "sources.list.d", "debian.sources"), DEB822);
    await writeFile(
      join(dir, "sources.list.d", "other.list.disabled-by-farm"),
      "deb http://other.example/x bookworm main\n",
    );
    expect(await hostDebianMirrors({}, dir)).toEqual({
      main: "http://mirror.example/debian",
      security: "http://mirror.example/debian-security",
    });
    expect(await hostDebianMirrors({ DRDRILL_DEBIAN_MIRROR: "http://env.example/debian" }, dir)).toEqual({
      main: "http://env.example/debian",
      security: "http://mirror.example/debian-security",
    });
    expect(await hostDebianMirrors({}, join(dir, "missing"))).toBeNull();
  });
});
