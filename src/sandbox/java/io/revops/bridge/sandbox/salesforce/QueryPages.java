package io.revops.bridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * REST query and queryAll answers with Salesforce's paging: a page of at most the batch size, and while records
 * remain, done=false and a nextRecordsUrl (a query locator) that returns the next page. Every page reports the
 * full totalSize. The batch size is the Sforce-Query-Options header's batchSize (200..2000; default 2000).
 */
final class QueryPages {
    static final int DEFAULT_BATCH = 2000;
    private static final Pattern BATCH_SIZE = Pattern.compile("(?i)batchSize\\s*=\\s*(\\d+)");

    private record Cursor(int totalSize, List<Map<String, Object>> rest, int batchSize) {
    }

    private final SoqlEngine engine;
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    private volatile int defaultBatch = DEFAULT_BATCH;

    QueryPages(SoqlEngine engine) {
        this.engine = engine;
    }

    /** Tests page small result sets with a smaller default than a real org's. */
    void setDefaultBatch(int batchSize) {
        this.defaultBatch = batchSize;
    }

    /** @param resource "query" or "queryAll" (deleted records too); version e.g. v59.0 */
    Map<String, Object> first(String version, String resource, String soql, String queryOptions) {
        SoqlEngine.QueryResult result = engine.run(soql, resource.equals("queryAll"));
        return page(version, resource, result.totalSize(), result.records(), batchSize(queryOptions));
    }

    Map<String, Object> next(String version, String resource, String locator) {
        Cursor cursor = cursors.remove(locator);
        if (cursor == null) {
            throw new SObjectException(400, "INVALID_QUERY_LOCATOR", "invalid query locator", List.of());
        }
        return page(version, resource, cursor.totalSize(), cursor.rest(), cursor.batchSize());
    }

    private Map<String, Object> page(String version, String resource, int totalSize, List<Map<String, Object>> rows,
            int batchSize) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", totalSize);
        boolean more = rows.size() > batchSize;
        body.put("done", !more);
        if (more) {
            String locator = "01g" + UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "-" + batchSize;
            cursors.put(locator, new Cursor(totalSize, new ArrayList<>(rows.subList(batchSize, rows.size())), batchSize));
            body.put("nextRecordsUrl", "/services/data/" + version + "/" + resource + "/" + locator);
            rows = rows.subList(0, batchSize);
        }
        body.put("records", rows);
        return body;
    }

    /** Salesforce takes batchSize between 200 and 2000 and may use a smaller one; out of range it uses the bound. */
    private int batchSize(String queryOptions) {
        Matcher m = queryOptions == null ? null : BATCH_SIZE.matcher(queryOptions);
        if (m == null || !m.find()) {
            return defaultBatch;
        }
        long asked = Long.parseLong(m.group(1).length() > 9 ? "2000" : m.group(1));
        return (int) Math.max(200, Math.min(DEFAULT_BATCH, asked));
    }
}
