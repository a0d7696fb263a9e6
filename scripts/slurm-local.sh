#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, without systemd, for tests and CI (Docs/SCALE-OUT.md).
#
#   bash scripts/slurm-local.sh up     install Debian's Slurm + MUNGE if missing (apt, root or sudo),
#                                      write the configuration and start munged, slurmctld, slurmd
#   bash scripts/slurm-local.sh conf   print the slurm.conf path: export SLURM_CONF=$(... conf)
#   bash scripts/slurm-local.sh down   stop the daemons `up` started (by their recorded PIDs only)
#   bash scripts/slurm-local.sh status print the recorded daemons and whether they run
#
# Everything (configuration, MUNGE key and socket, state, spool, logs, PID files) lives under
# one folder: $DIFFDUB_SLURM_DIR, default /tmp/diffdub-slurm. Ports: $DIFFDUB_SLURM_PORT
# (slurmctld, default 6817) and the next one (slurmd).
#
# Why it works without systemd or cgroups: the daemons run in the foreground (-D, --foreground)
# under `setsid ... &`, so `$!` is the daemon's own PID; proctrack/linuxproc, task/none and
# jobacct_gather/none need no cgroup hierarchy; munged is given its own socket (folder mode 755)
# and slurm.conf names it (AuthInfo=socket=...); the node's CPUs and RealMemory are what
# `slurmd -C` reports.
set -euo pipefail

dir="${DIFFDUB_SLURM_DIR:-/tmp/diffdub-slurm}"
port="${DIFFDUB_SLURM_PORT:-6817}"
conf="$dir/etc/slurm.conf"
socket="$dir/munge/munge.socket"
daemons=(munged slurmctld slurmd)

log() { echo "slurm-local: $*" >&2; }

sudo_prefix() { [ "$(id -u)" -eq 0 ] || echo sudo; }

install_packages() {
    local packages=(slurmctld slurmd slurm-client munge) missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    local sudo
    sudo="$(sudo_prefix)"
    # The packages' maintainer scripts try to start the services; without an init system that
    # fails harmlessly (invoke-rc.d finds no runlevel), and nothing is started behind our back.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
        || { $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
}

# The PID recorded for daemon $1 if that process is still that daemon, else nothing.
running_pid() {
    local file="$dir/run/$1.pid" pid
    [ -f "$file" ] || return 1
    pid="$(cat "$file")"
    [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$1" ] || return 1
    echo "$pid"
}

write_config() {
    local host node
    host="$(hostname -s)"
    mkdir -p "$dir"/{etc,munge,state,spool,log,run}
    chmod 755 "$dir/munge"  # munged refuses a socket folder others cannot traverse
    # The node as slurmd sees it (CPUs, sockets, cores, threads, RealMemory), so that
    # RealMemory never exceeds what the machine has.
    node="$(slurmd -C | head -n 1)"
    cat >"$conf" <<EOF
# Written by scripts/slurm-local.sh: a one-node cluster on localhost, state under $dir.
ClusterName=diffdub-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/run/slurmctld.daemon.pid
SlurmdPidFile=$dir/run/slurmd.daemon.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start_daemon() {
    local name="$1"
    shift
    if pid="$(running_pid "$name")"; then
        log "$name already running (PID $pid)"
        return 0
    fi
    setsid "$@" >>"$dir/log/$name.out" 2>&1 </dev/null &
    echo $! >"$dir/run/$name.pid"
    log "started $name (PID $!)"
}

up() {
    install_packages
    write_config
    if [ ! -s "$dir/munge/munge.key" ]; then
        dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    fi
    chmod 400 "$dir/munge/munge.key"
    export SLURM_CONF="$conf"
    start_daemon munged munged --foreground --force --key-file="$dir/munge/munge.key" --socket="$socket" \
        --pid-file="$dir/run/munged.daemon.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
    for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
    [ -S "$socket" ] || { log "munged did not create $socket (see $dir/log/munged.out)"; exit 1; }
    start_daemon slurmctld slurmctld -D -f "$conf"
    start_daemon slurmd slurmd -D -f "$conf"
    # Ready when the node accepts work.
    local state=""
    for _ in $(seq 120); do
        state="$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)"
        case "$state" in idle | mixed | allocated) break ;; esac
        sleep 0.5
    done
    case "$state" in
        idle | mixed | allocated) log "ready: node $(hostname -s) $state; export SLURM_CONF=$conf" ;;
        *)
            log "the node did not come up (state '${state:-none}'); logs in $dir/log"
            exit 1
            ;;
    esac
}

down() {
    local name pid stopped=0
    for name in slurmd slurmctld munged; do
        if pid="$(running_pid "$name")"; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
            if [ -d "/proc/$pid" ]; then
                log "$name (PID $pid) ignored SIGTERM; sending SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
            fi
            log "stopped $name (PID $pid)"
            stopped=$((stopped + 1))
        fi
        rm -f "$dir/run/$name.pid"
    done
    [ "$stopped" -gt 0 ] || log "nothing to stop under $dir"
}

status() {
    local name pid code=0
    for name in "${daemons[@]}"; do
        if pid="$(running_pid "$name")"; then echo "$name running (PID $pid)"; else echo "$name stopped"; code=1; fi
    done
    return $code
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    conf) echo "$conf" ;;
    status) status ;;
    *)
        echo "usage: $0 up|down|conf|status   (state under \$DIFFDUB_SLURM_DIR, default /tmp/diffdub-slurm)" >&2
        exit 64
        ;;
esac
