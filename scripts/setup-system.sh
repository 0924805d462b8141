#!/usr/bin/env bash
# Installs the Debian packages heoga needs beyond Node.js, idempotently.
#   bash scripts/setup-system.sh          install what is missing (as root, with apt), else list it and fail
#   bash scripts/setup-system.sh --check  only report what is missing (exit 1 if anything is)
#
# What needs what:
#   chromium              browser tests of the web app (playwright-core drives Debian's chromium)
#   perl                  exiftool-vendored (reading and writing IPTC/XMP metadata in images)
#   ffmpeg                decoding audio and video for fingerprints
#   libchromaprint-tools  fpcalc, audio fingerprints (Chromaprint)
#   fonts-noto-cjk        Korean text in browser screenshots and reports
set -euo pipefail

# package:command-or-path that proves it is installed
REQUIRED=(
  "chromium:chromium"
  "perl:perl"
  "ffmpeg:ffmpeg"
  "libchromaprint-tools:fpcalc"
  "fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)

missing=()
for entry in "${REQUIRED[@]}"; do
  pkg=${entry%%:*}
  probe=${entry#*:}
  if [[ $probe == /* ]]; then
    [[ -e $probe ]] || missing+=("$pkg")
  else
    command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-system: all system packages present"
  exit 0
fi

if [[ ${1:-} == "--check" ]]; then
  echo "setup-system: missing Debian packages: ${missing[*]}" >&2
  echo "setup-system: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup-system: installed ${missing[*]}"
  exit 0
fi

echo "setup-system: missing Debian packages: ${missing[*]}" >&2
echo "setup-system: run as root on Debian/Ubuntu: sudo bash scripts/setup-system.sh" >&2
echo "setup-system: or install them yourself: sudo apt-get install -y ${missing[*]}" >&2
exit 1
