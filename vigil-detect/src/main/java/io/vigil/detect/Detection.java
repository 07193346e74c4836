package io.vigil.detect;

/** A rule that fired on an event. */
public record Detection(Rule rule, io.vigil.event.Event event) {}
