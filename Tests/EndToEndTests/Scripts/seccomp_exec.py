# Loads a seccomp filter approximating a systemd unit's (policy written by
# SystemdUnitSupport.writeSeccompLauncher), then execs the rest of argv.
# argv: policy file, program, arguments.
import ctypes, json, os, sys
policy, argv = json.load(open(sys.argv[1])), sys.argv[2:]
seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
class Cmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("a", ctypes.c_uint64), ("b", ctypes.c_uint64)]
ALLOW, KILL_PROCESS, EQ, MASKED_EQ = 0x7fff0000, 0x80000000, 4, 7
seccomp.seccomp_init.restype = ctypes.c_void_p
seccomp.seccomp_init.argtypes = [ctypes.c_uint32]
seccomp.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
seccomp.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(Cmp)]
seccomp.seccomp_load.argtypes = [ctypes.c_void_p]
errno = policy.get("errno")
ctx = seccomp.seccomp_init(KILL_PROCESS if errno is None else 0x00050000 | errno)
def allow(name, *conditions):
    number = seccomp.seccomp_syscall_resolve_name(name.encode())
    if number < 0:
        return
    array = (Cmp * max(len(conditions), 1))(*conditions)
    if seccomp.seccomp_rule_add_array(ctx, ALLOW, number, len(conditions), array) != 0:
        sys.exit("cannot add rule for " + name)
allowed = set(policy["allowed"])
conditional = {"socket"} if "families" in policy else set()
if policy["mdwe"]:
    conditional |= {"mmap", "mprotect", "pkey_mprotect", "shmat"}
for name in allowed - conditional:
    allow(name)
W, X = 0x2, 0x4
for name in allowed & conditional:
    if name == "socket":
        for family in policy["families"]:
            allow("socket", Cmp(0, EQ, family, 0))
    elif name == "mmap":  # never writable and executable at once
        for prot in (0, W, X):
            allow("mmap", Cmp(2, MASKED_EQ, W | X, prot))
    elif name == "shmat":  # no SHM_EXEC
        allow("shmat", Cmp(2, MASKED_EQ, 0o100000, 0))
    else:  # mprotect, pkey_mprotect: never to executable
        allow(name, Cmp(2, MASKED_EQ, X, 0))
libc = ctypes.CDLL(None, use_errno=True)
if policy["nnp"] and libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
    sys.exit("PR_SET_NO_NEW_PRIVS failed")
if seccomp.seccomp_load(ctx) != 0:
    sys.exit("seccomp_load failed (unprivileged callers need NoNewPrivileges)")
os.execvp(argv[0], argv)
