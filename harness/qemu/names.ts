// What the VM's guest is told and prints: its init, the SSH port it listens on, and the lines its
// init prints on the serial console.

/** `DRDRILL-VM HOSTKEY ssh-ed25519 AAAA...`: the guest's SSH host key, made at first boot. */
export const HOSTKEY_MARK = "DRDRILL-VM HOSTKEY";
/** `DRDRILL-VM SSHD UP (12.3 s after boot)`. */
export const SSHD_MARK = "DRDRILL-VM SSHD UP";
/** The init path inside the image. */
export const VM_INIT = "/usr/local/sbin/drdrill-vm-init";
/** What user-mode networking gives the guest (the init sets it statically). */
export const GUEST_SSH_PORT = 22;
