package dev.tern.common.policy;

/** Outbound TLS for a destination: none, opportunistic STARTTLS (default), or required and verified. */
public enum TlsMode { NONE, OPPORTUNISTIC, REQUIRED }
