package io.tweetreel.core.motion;

/**
 * One caption: shown from {@code startSeconds} to {@code endSeconds} of the reel; {@code text} is at most
 * {@value CaptionCues#MAX_LINES} lines of at most {@value CaptionCues#MAX_LINE_CHARS} characters, joined by
 * {@code \n}.
 */
public record CaptionCue(double startSeconds, double endSeconds, String text) {}
