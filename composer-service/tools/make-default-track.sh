#!/usr/bin/env bash
# Generates the bundled default background track (src/main/resources/audio/default-track.m4a) with FFmpeg
# alone, so it carries no licence question. A soft pad plays I–V–vi–IV in C major twice (8 chords x 3.75 s =
# 30 s, the longest reel, so default-track reels never loop). Every note above the bass is three slightly
# detuned sines plus weak 2nd and 3rd harmonics (a soft, triangle-like timbre); each chord swells in and
# releases into the next; the mix is low-passed and echoed (no chorus: ffmpeg's moves its delay in whole
# samples, which clicks), then loudness-normalised to -16 LUFS in two passes (one linear gain, no pumping).
# The output is bit-exact from run to run on the same ffmpeg.
#
# Usage: tools/make-default-track.sh [output.m4a]   (needs ffmpeg with the aac encoder on PATH, or FFMPEG=...)
set -euo pipefail

FFMPEG="${FFMPEG:-ffmpeg}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=loudness.sh
source "$here/loudness.sh"
out="${1:-$(dirname "$here")/src/main/resources/audio/default-track.m4a}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

chord_seconds=3.75
tail_seconds=1.5      # release of each chord overlapping the next one
attack_seconds=0.8
total_seconds=30

# a soft root in the bass, then the triad an octave or two up, where phone speakers can play it; common tones
# (G4, C5) hold across chords so the pad moves smoothly. Frequencies in Hz (equal temperament, A4 = 440)
chords=(
  "130.81 329.63 392.00 523.25"  # I   C   C3 | E4 G4 C5
  "98.00 293.66 392.00 493.88"   # V   G   G2 | D4 G4 B4
  "110.00 329.63 440.00 523.25"  # vi  Am  A2 | E4 A4 C5
  "87.31 349.23 440.00 523.25"   # IV  F   F2 | F4 A4 C5
)

# One stereo aevalsrc expression per chord: left and right use different detunings for width.
note_expr() { # frequency, detune factor
  awk -v f="$1" -v d="$2" 'BEGIN {
    printf "(sin(2*PI*%.4f*t)+sin(2*PI*%.4f*t+1.3)+0.8*sin(2*PI*%.4f*t+2.1)+0.22*sin(4*PI*%.4f*t)+0.08*sin(6*PI*%.4f*t))",
      f, f*(1+d), f*(1-d*0.7), f, f
  }'
}
chord_expr() { # "f1 f2 f3 f4", detune
  local expr="" gain detune f first=1
  for f in $1; do
    # the bass is not detuned: its slow beating would make the whole pad throb
    if [ $first = 1 ]; then gain=0.7; detune=0; first=0; else gain=0.5; detune=$2; fi
    expr+="${expr:++}${gain}*$(note_expr "$f" "$detune")"
  done
  printf '0.02*(%s)' "$expr"
}

graph=""
labels=""
for i in $(seq 0 7); do
  notes="${chords[$((i % 4))]}"
  start=$(awk -v i="$i" -v c="$chord_seconds" 'BEGIN { printf "%.3f", i*c }')
  length=$(awk -v c="$chord_seconds" -v t="$tail_seconds" 'BEGIN { printf "%.3f", c+t }')
  release_start=$(awk -v c="$chord_seconds" -v t="$tail_seconds" 'BEGIN { printf "%.3f", c-0.3 }')
  release=$(awk -v t="$tail_seconds" 'BEGIN { printf "%.3f", t+0.3 }')
  delay_ms=$(awk -v s="$start" 'BEGIN { printf "%d", s*1000 }')
  graph+="aevalsrc='$(chord_expr "$notes" 0.0029)|$(chord_expr "$notes" 0.0041)':s=48000:d=$length,"
  graph+="afade=t=in:st=0:d=$attack_seconds:curve=qsin,afade=t=out:st=$release_start:d=$release:curve=qsin,"
  graph+="adelay=$delay_ms|$delay_ms[c$i];"
  labels+="[c$i]"
done
graph+="${labels}amix=inputs=8:normalize=0:duration=longest,"
graph+="lowpass=f=2400,"
graph+="aecho=0.8:0.55:170|290|430:0.28|0.2|0.12,"
ending=$(awk -v t="$total_seconds" 'BEGIN { print t-2.5 }')
graph+="atrim=duration=$total_seconds,afade=t=out:st=$ending:d=2.5:curve=qsin[pad]"

"$FFMPEG" -hide_banner -loglevel error -y -filter_complex "$graph" -map '[pad]' -c:a pcm_s24le "$work/pad.wav"

encode_track "$work/pad.wav" "$out"
