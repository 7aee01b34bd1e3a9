# A credential_process for the credentials tests. Usage:
#   credential_process.py <credentials.json> <calls-file> <mode> <lifetime-seconds>
# Appends one line to <calls-file> per run, then, by <mode>:
#   ok         prints Version 1 JSON with the keys of <credentials.json> (AccessKeyId,
#              SecretAccessKey, SessionToken), expiring <lifetime-seconds> from now
#   notjson    prints text that is not JSON
#   noversion  prints the JSON without "Version"
#   fail       writes a secret-looking line to stderr and exits 3
#   sleep      sleeps 60 s
import datetime, json, sys, time

source, calls, mode, lifetime = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
with open(calls, "a") as log:
    log.write(mode + "\n")
with open(source) as handle:
    keys = json.load(handle)
expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
answer = {"Version": 1, "AccessKeyId": keys["AccessKeyId"], "SecretAccessKey": keys["SecretAccessKey"],
          "SessionToken": keys["SessionToken"], "Expiration": expiration.isoformat().replace("+00:00", "Z")}
if mode == "ok":
    print(json.dumps(answer))
elif mode == "notjson":
    print("AccessKeyId=" + keys["AccessKeyId"])
elif mode == "noversion":
    del answer["Version"]
    print(json.dumps(answer))
elif mode == "fail":
    sys.stderr.write("secret in stderr: " + keys["SecretAccessKey"] + "\n")
    sys.exit(3)
elif mode == "sleep":
    time.sleep(60)
