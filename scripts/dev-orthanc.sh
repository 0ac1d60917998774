#!/usr/bin/env bash
# Starts a local Orthanc (Debian's `orthanc` + `orthanc-dicomweb`) for `make run`, on loopback
# only, with the DICOMweb and ModalityWorklists plugins and a configuration generated into
# DIR (kept between runs: the images stay). On success it prints, on stdout, the shell
# assignments that point healthbook's imaging adapter at it (eval them), and Orthanc's pid as
# HB_ORTHANC_PID; everything for people goes to stderr. Exit 3 when Orthanc or its plugins
# are not installed, 1 when it would not start (its log is DIR/orthanc.log).
#
# Usage: scripts/dev-orthanc.sh DIR HTTP_PORT DICOM_PORT
# The user is `demo`; the password is generated once into DIR/password (mode 0600).
# A new, empty Orthanc is given the CT and MR images of Debian's python3-pydicom test data
# (when installed) so that the imaging screens have a study to show: their patients are
# unknown to healthbook and land in the reconciliation work list.
set -euo pipefail

dir=${1:?usage: dev-orthanc.sh DIR HTTP_PORT DICOM_PORT}
http_port=${2:?HTTP port}
dicom_port=${3:?DICOM port}
plugins=${HB_ORTHANC_PLUGINS:-/usr/share/orthanc/plugins}
exe=$(command -v Orthanc || true)
[[ -z $exe && -x /usr/sbin/Orthanc ]] && exe=/usr/sbin/Orthanc
if [[ -z $exe ]]; then
  echo "Orthanc is not installed (Debian packages orthanc, orthanc-dicomweb)" >&2
  exit 3
fi
for p in libOrthancDicomWeb.so libModalityWorklists.so; do
  if [[ ! -f $plugins/$p ]]; then
    echo "Orthanc plugin $plugins/$p is missing (Debian package orthanc-dicomweb)" >&2
    exit 3
  fi
done
if ! command -v curl >/dev/null; then
  echo "curl is needed to talk to Orthanc" >&2
  exit 3
fi

mkdir -p "$dir/storage" "$dir/worklists"
dir=$(cd "$dir" && pwd)
if [[ ! -s $dir/password ]]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password")
fi
password=$(cat "$dir/password")
url=http://127.0.0.1:$http_port

if curl -fsS -o /dev/null "$url/system" 2>/dev/null ||
  curl -fsS -o /dev/null -u "demo:$password" "$url/system" 2>/dev/null; then
  echo "port $http_port already answers HTTP: is another Orthanc running there?" >&2
  exit 1
fi

(umask 077 && cat >"$dir/orthanc.json" <<JSON
{
  "Name": "healthbook-dev",
  "StorageDirectory": "$dir/storage",
  "IndexDirectory": "$dir/storage",
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "DicomAet": "HBORTHANC",
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": true,
  "RegisteredUsers": { "demo": "$password" },
  "StableAge": 2,
  "DefaultEncoding": "Utf8",
  "DicomAlwaysAllowEcho": true,
  "DicomAlwaysAllowStore": true,
  "DicomAlwaysAllowFindWorklist": true,
  "DicomCheckCalledAet": false,
  "SaveJobs": false,
  "Plugins": [ "$plugins/libOrthancDicomWeb.so", "$plugins/libModalityWorklists.so" ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" },
  "Worklists": { "Enable": true, "Database": "$dir/worklists" }
}
JSON
)

"$exe" "$dir/orthanc.json" >>"$dir/orthanc.log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null -u "demo:$password" "$url/system" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "Orthanc stopped at start-up; see $dir/orthanc.log" >&2
    exit 1
  fi
  sleep 0.2
done
if ! curl -fsS -o /dev/null -u "demo:$password" "$url/system" 2>/dev/null; then
  kill "$pid" 2>/dev/null || true
  echo "Orthanc did not answer on $url within 20 s; see $dir/orthanc.log" >&2
  exit 1
fi

# A first study for an empty PACS, sent through the REST API (Orthanc stores it as if a
# modality had; the change feed then brings it into healthbook).
samples=/usr/lib/python3/dist-packages/pydicom/data/test_files
if [[ $(curl -fsS -u "demo:$password" "$url/statistics" | tr -d ' \n' |
  sed -n 's/.*"CountInstances":\([0-9]*\).*/\1/p') == 0 ]]; then
  for f in CT_small.dcm MR_small.dcm; do
    [[ -f $samples/$f ]] || continue
    curl -fsS -o /dev/null -u "demo:$password" -H 'Content-Type: application/dicom' \
      --data-binary "@$samples/$f" "$url/instances" &&
      echo "==> Orthanc: stored the sample image $f (python3-pydicom test data)" >&2
  done
fi

printf 'export HEALTHBOOK_IMAGING_ORTHANC_URL=%q\n' "$url"
printf 'export HEALTHBOOK_IMAGING_USERNAME=demo\n'
printf 'export HEALTHBOOK_IMAGING_PASSWORD=%q\n' "$password"
printf 'export HEALTHBOOK_IMAGING_WORKLIST_DIR=%q\n' "$dir/worklists"
printf 'export HEALTHBOOK_IMAGING_STATION_AE=%q\n' "MODALITY"
printf 'HB_ORTHANC_PID=%q\n' "$pid"
