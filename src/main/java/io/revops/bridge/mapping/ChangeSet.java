package io.revops.bridge.mapping;

import java.util.Map;

/**
 * What one canonical event may change in one target system, after ownership is applied.
 *
 * @param object     canonical object name (account, order, ...)
 * @param key        our key of the object
 * @param lifecycle  created, updated, deleted or undeleted (from the CloudEvent type)
 * @param source     the system the event came from
 * @param attributes the changed attributes the source owns and the target may take
 * @param applicable false when the target has nothing to do (the source owns none of the changes, or the event
 *                   came from the target itself)
 */
public record ChangeSet(String object, String key, String lifecycle, String source, Map<String, Object> attributes,
        boolean applicable) {
}
