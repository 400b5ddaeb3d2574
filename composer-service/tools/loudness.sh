# Sourced by make-default-track.sh and make-mood-track.sh: the one way a bundled track is finished.
#
# encode_track IN.wav OUT.m4a: loudness-normalise to -16 LUFS (true peak -1.5 dBTP) in two passes, the second a
# single linear gain that keeps the track's own dynamics, and encode as bit-exact 48 kHz stereo AAC 128k; then
# print its measured loudness. Needs $FFMPEG.
encode_track() {
  local in="$1" out="$2" measured normalise
  # pass 1: measure
  measured="$("$FFMPEG" -hide_banner -nostats -i "$in" \
    -af loudnorm=I=-16:TP=-1.5:LRA=11:print_format=json -f null - 2>&1 | sed -n '/^{/,/^}/p')"
  value() { printf '%s\n' "$measured" | sed -n "s/.*\"$1\" : \"\\([^\"]*\\)\".*/\\1/p"; }

  # pass 2: apply the measurement as one gain
  normalise="loudnorm=I=-16:TP=-1.5:LRA=11:linear=true"
  normalise+=":measured_I=$(value input_i):measured_TP=$(value input_tp):measured_LRA=$(value input_lra)"
  normalise+=":measured_thresh=$(value input_thresh):offset=$(value target_offset)"
  "$FFMPEG" -hide_banner -loglevel error -y -i "$in" -af "$normalise,aresample=48000" \
    -c:a aac -b:a 128k -ac 2 -ar 48000 -map_metadata -1 -fflags +bitexact -flags:a +bitexact -movflags +faststart \
    "$out"

  echo "wrote $out ($(wc -c < "$out") bytes)"
  "$FFMPEG" -hide_banner -nostats -i "$out" -af ebur128=peak=true -f null - 2>&1 | sed -n '/Summary/,$p' \
    | grep -E 'I:|Peak:' || true
}
