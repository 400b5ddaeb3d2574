package io.tweetreel.gateway;

/** One invalid request field and what is wrong with it, as listed in a problem's {@code errors}. */
public record FieldError(String field, String message) {}
