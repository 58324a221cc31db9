package io.revops.bridge.sandbox.salesforce;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who the integration user is, as the identity URL (GET /id/{orgId}/{userId}) and OpenID Connect's userinfo endpoint
 * describe them. The URLs keep Salesforce's literal {version} placeholder for the client to fill in.
 */
final class Identity {
    private Identity() {
    }

    static String url(String baseUrl) {
        return baseUrl + "/id/" + ConnectedApp.ORG_ID + "/" + ConnectedApp.USER_ID;
    }

    static Map<String, Object> identity(String baseUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", url(baseUrl));
        body.put("asserted_user", true);
        body.put("user_id", ConnectedApp.USER_ID);
        body.put("organization_id", ConnectedApp.ORG_ID);
        body.put("username", ConnectedApp.USER_NAME);
        body.put("nick_name", nickName());
        body.put("display_name", ConnectedApp.DISPLAY_NAME);
        body.put("email", ConnectedApp.USER_NAME);
        body.put("email_verified", true);
        body.put("first_name", "Integration");
        body.put("last_name", "User");
        body.put("timezone", ConnectedApp.TIME_ZONE);
        body.put("mobile_phone", null);
        body.put("mobile_phone_verified", false);
        body.put("status", Map.of("created_date", "", "body", ""));
        body.put("urls", urls(baseUrl));
        body.put("active", true);
        body.put("user_type", "STANDARD");
        body.put("language", "en_US");
        body.put("locale", "en_US");
        body.put("utcOffset", utcOffsetMillis());
        body.put("last_modified_date", "2026-01-01T00:00:00.000+0000");
        body.put("is_app_installed", true);
        return body;
    }

    /** OpenID Connect standard claims plus Salesforce's own, as /services/oauth2/userinfo answers. */
    static Map<String, Object> userInfo(String baseUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", url(baseUrl));
        body.put("user_id", ConnectedApp.USER_ID);
        body.put("organization_id", ConnectedApp.ORG_ID);
        body.put("preferred_username", ConnectedApp.USER_NAME);
        body.put("nickname", nickName());
        body.put("name", ConnectedApp.DISPLAY_NAME);
        body.put("email", ConnectedApp.USER_NAME);
        body.put("email_verified", true);
        body.put("given_name", "Integration");
        body.put("family_name", "User");
        body.put("zoneinfo", ConnectedApp.TIME_ZONE);
        body.put("profile", baseUrl + "/" + ConnectedApp.USER_ID);
        body.put("urls", urls(baseUrl));
        body.put("active", true);
        body.put("user_type", "STANDARD");
        body.put("language", "en_US");
        body.put("locale", "en_US");
        body.put("utcOffset", utcOffsetMillis());
        body.put("updated_at", "2026-01-01T00:00:00Z");
        body.put("is_app_installed", true);
        return body;
    }

    private static Map<String, String> urls(String baseUrl) {
        String org = ConnectedApp.ORG_ID;
        String data = baseUrl + "/services/data/v{version}/";
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("enterprise", baseUrl + "/services/Soap/c/{version}/" + org);
        urls.put("metadata", baseUrl + "/services/Soap/m/{version}/" + org);
        urls.put("partner", baseUrl + "/services/Soap/u/{version}/" + org);
        urls.put("rest", data);
        urls.put("sobjects", data + "sobjects/");
        urls.put("search", data + "search/");
        urls.put("query", data + "query/");
        urls.put("recent", data + "recent/");
        urls.put("tooling_soap", baseUrl + "/services/Soap/T/{version}/" + org);
        urls.put("tooling_rest", data + "tooling/");
        urls.put("profile", baseUrl + "/" + ConnectedApp.USER_ID);
        urls.put("feeds", data + "chatter/feeds");
        urls.put("groups", data + "chatter/groups");
        urls.put("users", data + "chatter/users");
        urls.put("feed_items", data + "chatter/feed-items");
        urls.put("feed_elements", data + "chatter/feed-elements");
        urls.put("custom_domain", baseUrl);
        return urls;
    }

    private static String nickName() {
        return ConnectedApp.USER_NAME.substring(0, ConnectedApp.USER_NAME.indexOf('@'));
    }

    /** The user's time zone's standard offset in milliseconds, as Salesforce reports utcOffset. */
    private static long utcOffsetMillis() {
        return ZoneId.of(ConnectedApp.TIME_ZONE).getRules().getStandardOffset(Instant.now()).getTotalSeconds() * 1000L;
    }
}
