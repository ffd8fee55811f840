# drdrill's store on a secondary site: where tar+zstd archives go over SSH. Uploaded into the run's
# folder on the site and run as `sh RUN/.drdrill-store [--append-only] put|get|list|delete NAME`; the
# archives are in RUN/repo.
# put writes stdin to NAME (via NAME.part, so a broken upload never looks finished); get prints it;
# list prints the names; delete removes one. --append-only: put never replaces, delete is refused.
set -eu
append=0
if [ "${1:-}" = "--append-only" ]; then append=1; shift; fi
op=${1:?usage: .drdrill-store [--append-only] put|get|list|delete [NAME]}
name=${2:-}
cd "$(dirname "$0")"
mkdir -p repo
cd repo
case "$name" in */* | .* ) echo "drdrill-store: bad name: $name" >&2; exit 2 ;; esac
case "$op" in
  put)
    [ -n "$name" ] || exit 2
    if [ "$append" = 1 ] && [ -e "$name" ]; then
      echo "drdrill-store: $name exists; this store is append-only" >&2
      exit 1
    fi
    cat > "$name.part"
    if [ "$append" = 1 ]; then mv -n -- "$name.part" "$name"; else mv -f -- "$name.part" "$name"; fi ;;
  get) exec cat -- "$name" ;;
  list) ls -1 ;;
  delete)
    if [ "$append" = 1 ]; then echo "drdrill-store: refused: this store is append-only" >&2; exit 1; fi
    rm -f -- "$name" ;;
  *) echo "drdrill-store: unknown operation $op" >&2; exit 2 ;;
esac
