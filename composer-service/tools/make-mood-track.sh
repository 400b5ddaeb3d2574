#!/usr/bin/env bash
# Generates one of the bundled mood tracks (src/main/resources/audio/<mood>.m4a, MusicChoice.resource()) with
# FFmpeg alone, so it carries no licence question, the same way as make-default-track.sh: synthesised in
# aevalsrc, mixed, then loudness-normalised to -16 LUFS in two passes (one linear gain) and encoded as bit-exact
# 48 kHz stereo AAC 128k of 30 s (the longest reel, so a reel never loops its track).
#
#   calm       F major, I-V-vi-IV (F C Dm Bb), 7.5 s a chord: a slow electric-piano arpeggio (a note every
#              0.625 s, two voices so each rings into the next) over a quiet sine pad.
#   upbeat     G major, I-V-vi-IV (G D Em C) at 120 BPM: a plucked eighth-note arpeggio (bright harmonics that
#              die fast), a bass note and a kick on every beat.
#   cinematic  D minor (Dm Bb F C), 7.5 s a chord: a low saw-like drone of root, fifth and octave, low-passed,
#              swelling in and out with each chord, a deep boom at each chord and a sparse inharmonic bell.
#
# Each voice restarts its phase at every note and opens and closes over a few milliseconds, so notes never click.
# Left and right differ by 11 ms of delay (width without phasing on mono speakers).
#
# Usage: tools/make-mood-track.sh calm|upbeat|cinematic [output.m4a]   (needs ffmpeg with aac, or FFMPEG=...)
set -euo pipefail

FFMPEG="${FFMPEG:-ffmpeg}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=loudness.sh
source "$here/loudness.sh"
mood="${1:?usage: $0 calm|upbeat|cinematic [output.m4a]}"
out="${2:-$(dirname "$here")/src/main/resources/audio/$mood.m4a}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
total_seconds=30

# pick INDEX_EXPR v0 v1 v2 ...: the value at INDEX_EXPR, as nested ifs
pick() {
  local index="$1" expr="" i
  shift
  local values=("$@")
  expr="${values[$((${#values[@]} - 1))]}"
  for ((i = ${#values[@]} - 2; i >= 0; i--)); do
    expr="if(eq($index,$i),${values[$i]},$expr)"
  done
  printf '%s' "$expr"
}

# note window: local time L within a window of W seconds, a few ms of fade at both ends
window() { # local-time-expr, window-seconds, attack-seconds
  printf 'min(1,(%s)/%s)*min(1,(%s-(%s))/0.01)' "$1" "$3" "$2" "$1"
}

case "$mood" in
calm)
  # chord roots F3 C3 D3 Bb2, as seen from a note's start so a note that rings over a chord change keeps its pitch
  root_at() { pick "mod(floor(($1)/7.5),4)" 174.61 130.81 146.83 116.54; }
  third_at() { pick "mod(floor(($1)/7.5),4)" 5.0397 5.0397 4.7568 5.0397; }
  voice() { # the even notes (offset 0) or the odd ones (offset 0.625): a note every 1.25 s, each ringing 1.25 s
    local local_time="mod(t-$1,1.25)" start="(floor((t-$1)/1.25)*1.25+$1)" position="$2"
    local step="mod(2*floor((t-$1)/1.25)+$position,8)"
    local f="($(root_at "$start"))*($(pick "$step" 2 3 4 "$(third_at "$start")" 6 "$(third_at "$start")" 4 3))"
    printf 'if(gte(t,%s),(sin(2*PI*%s*%s)+0.3*sin(4*PI*%s*%s))*exp(-2.6*%s)*%s,0)' \
      "$1" "$f" "$local_time" "$f" "$local_time" "$local_time" "$(window "$local_time" 1.25 0.02)"
  }
  root="$(root_at t)"
  pad="0.25*(sin(2*PI*($root)*t)+0.6*sin(2*PI*($root)*1.5*t))*(0.75+0.25*sin(2*PI*t/7.5-PI/2))"
  expr="0.12*($(voice 0 0)+$(voice 0.625 1)+$pad)"
  post="lowpass=f=3000,aecho=0.8:0.5:240|410:0.3|0.18"
  ;;
upbeat)
  chord="mod(floor(t/2),4)"
  root="$(pick "$chord" 392.00 293.66 329.63 261.63)"
  third="$(pick "$chord" 1.2599 1.2599 1.1892 1.2599)"
  eighth="mod(t,0.25)"
  ratio="$(pick "mod(floor(t/0.25),8)" 1 "$third" 1.4983 2 "2*$third" 2 1.4983 "$third")"
  f="($root)*($ratio)"
  pluck="(sin(2*PI*$f*$eighth)*exp(-7*$eighth)+0.5*sin(4*PI*$f*$eighth)*exp(-13*$eighth)"
  pluck+="+0.25*sin(6*PI*$f*$eighth)*exp(-20*$eighth))*$(window "$eighth" 0.25 0.003)"
  beat="mod(t,0.5)"
  bass="0.8*sin(2*PI*($root)/4*$beat)*exp(-4*$beat)*$(window "$beat" 0.5 0.005)"
  kick="0.9*sin(2*PI*(48*$beat+5*(1-exp(-28*$beat))))*exp(-9*$beat)*$(window "$beat" 0.5 0.002)"
  expr="0.2*($pluck+$bass+$kick)"
  post="highpass=f=35,aecho=0.8:0.4:375:0.22"
  ;;
cinematic)
  chord="mod(floor(t/7.5),4)"
  root="$(pick "$chord" 73.42 58.27 87.31 65.41)"
  saw() { # frequency expression: five harmonics at 1/n, slightly detuned copy for motion
    printf '(sin(2*PI*%s*t)+sin(4*PI*%s*t)/2+sin(6*PI*%s*t)/3+sin(8*PI*%s*t)/4+sin(10*PI*%s*t)/5)' \
      "$1" "$1" "$1" "$1" "$1"
  }
  chord_time="mod(t,7.5)"
  swell="(0.35+0.65*sin(PI*$chord_time/7.5))*$(window "$chord_time" 7.5 0.05)"
  drone="($(saw "($root)")+0.7*$(saw "($root)*1.4983*1.002")+0.5*$(saw "($root)*2*0.998"))*$swell"
  boom="2.5*sin(2*PI*38*$chord_time)*exp(-1.8*$chord_time)*$(window "$chord_time" 7.5 0.004)"
  bell_time="mod(t-1.875,3.75)"
  bell_f="$(pick "mod(floor((t-1.875)/3.75),4)" 587.33 698.46 880.00 523.25)"
  bell="if(gte(t,1.875),(sin(2*PI*$bell_f*$bell_time)+0.4*sin(2*PI*$bell_f*2.76*$bell_time)"
  bell+="+0.2*sin(2*PI*$bell_f*5.4*$bell_time))*exp(-1.6*$bell_time)*$(window "$bell_time" 3.75 0.003),0)"
  expr="0.08*($drone+$boom+0.5*$bell)"
  post="lowpass=f=1800,aecho=0.8:0.6:300|520|800:0.35|0.25|0.15"
  ;;
*)
  echo "unknown mood $mood: expected calm, upbeat or cinematic" >&2
  exit 2
  ;;
esac

ending=$(awk -v t="$total_seconds" 'BEGIN { print t-2.5 }')
graph="aevalsrc='$expr':s=48000:d=$total_seconds,$post,pan=stereo|c0=c0|c1=c0,adelay=0|11,"
graph+="atrim=duration=$total_seconds,afade=t=in:st=0:d=0.05,afade=t=out:st=$ending:d=2.5:curve=qsin[music]"

"$FFMPEG" -hide_banner -loglevel error -y -filter_complex "$graph" -map '[music]' -c:a pcm_s24le "$work/music.wav"

encode_track "$work/music.wav" "$out"
