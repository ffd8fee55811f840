// sftp: the backups are files at site B, reached over SSH (SFTP, borg serve, an ssh pipe), in drdrill's
// sshd container or on an existing host. A tool that cannot write over SSH is refused here.
import { startSite } from "../site/site.ts";
import { defineStore } from "./store.ts";

export default defineStore({
  name: "sftp",
  description: "Files over SSH: drdrill's sshd container, or an existing host (destination.site.host).",
  validate(_site, ctx) {
    const how = ctx.adapter.capabilities.site;
    if (!("unsupported" in how)) return [];
    return [{ path: ["tools", ctx.tool.entry], message: `${how.unsupported} (destination: site)` }];
  },
  start: startSite,
});
