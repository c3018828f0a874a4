package io.koala.optimizer;

/** The state after a step (the unchanged input state when the step was refused) and its report. */
public record StepResult<S>(S state, StepReport report) {}
