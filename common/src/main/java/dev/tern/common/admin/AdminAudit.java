package dev.tern.common.admin;

import dev.tern.common.event.AdminAuditEvent;

/**
 * Where the admin API's audit records go (docs/ARCHITECTURE.md, "Admin API security"). Called on
 * the HTTP event loop once the response is finished: must not block.
 */
@FunctionalInterface
public interface AdminAudit {

    void record(AdminAuditEvent event);
}
