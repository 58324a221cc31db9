package io.revops.bridge.sandbox.salesforce;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import com.sun.net.httpserver.HttpExchange;

/**
 * The SOAP API's login() and logout() calls on the partner (/services/Soap/u/NN.N) and enterprise (/services/Soap/c/NN.N)
 * endpoints: a loginResponse shaped by the WSDL, whose sessionId is an access token like any other (REST bearer,
 * Pub/Sub), or the INVALID_LOGIN fault; logout() ends the session of its SessionHeader. Any other SOAP call is refused
 * with the fault an org gives for an operation it does not have.
 */
final class SoapLogin {
    private static final Pattern ENDPOINT = Pattern.compile("/services/Soap/([uc])/(\\d{1,3}\\.\\d)(/00D\\w{12}(\\w{3})?)?/?");
    private static final String ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String INVALID_LOGIN = "Invalid username, password, security token; or user locked out.";
    private static final String ILLEGAL_SESSION = "Invalid Session ID found in SessionHeader: Illegal Session";

    private final Sessions sessions;
    private final Supplier<String> baseUrl;

    SoapLogin(Sessions sessions, Supplier<String> baseUrl) {
        this.sessions = sessions;
        this.baseUrl = baseUrl;
    }

    static boolean handles(String path) {
        return path.startsWith("/services/Soap/");
    }

    void handle(HttpExchange exchange) throws IOException {
        Matcher endpoint = ENDPOINT.matcher(exchange.getRequestURI().getPath());
        if (!endpoint.matches()) {
            HttpReplies.send(exchange, 404, "text/plain", "Not Found");
            return;
        }
        String api = endpoint.group(1).equals("u") ? "partner" : "enterprise";
        if (!exchange.getRequestMethod().equals("POST")) {
            fault(exchange, api, "soapenv:Client", "No operation available for request", null);
            return;
        }
        Document envelope = parse(exchange.getRequestBody().readAllBytes());
        Element operation = envelope == null ? null : firstChild(only(envelope, "Body"), null);
        if (operation != null && "logout".equals(operation.getLocalName())) {
            logout(exchange, api, child(firstChild(only(envelope, "Header"), "SessionHeader"), "sessionId"));
            return;
        }
        if (operation == null || !"login".equals(operation.getLocalName())) {
            fault(exchange, api, "soapenv:Client", "No operation available for request", null);
            return;
        }
        login(exchange, api, endpoint, operation);
    }

    private void login(HttpExchange exchange, String api, Matcher endpoint, Element login) throws IOException {
        if (!ConnectedApp.validUser(child(login, "username"), child(login, "password"))) {
            fault(exchange, api, "sf:INVALID_LOGIN", "INVALID_LOGIN: " + INVALID_LOGIN, "LoginFault");
            return;
        }
        String version = endpoint.group(2);
        String base = baseUrl.get();
        String org = ConnectedApp.ORG_ID;
        String result = "<metadataServerUrl>" + base + "/services/Soap/m/" + version + "/" + org + "</metadataServerUrl>"
                + "<passwordExpired>false</passwordExpired>"
                + "<sandbox>true</sandbox>"
                + "<serverUrl>" + base + "/services/Soap/" + endpoint.group(1) + "/" + version + "/" + org + "</serverUrl>"
                + "<sessionId>" + sessions.issue(null) + "</sessionId>"
                + "<userId>" + ConnectedApp.USER_ID + "</userId>"
                + "<userInfo>"
                + "<accessibilityMode>false</accessibilityMode>"
                + "<chatterExternal>false</chatterExternal>"
                + "<currencySymbol>$</currencySymbol>"
                + "<orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit>"
                + "<orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>"
                + "<orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale>"
                + "<orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments>"
                + "<orgHasPersonAccounts>false</orgHasPersonAccounts>"
                + "<organizationId>" + org + "</organizationId>"
                + "<organizationMultiCurrency>false</organizationMultiCurrency>"
                + "<organizationName>RevOps Bridge sandbox</organizationName>"
                + "<profileId>00e000000000001AAA</profileId>"
                + "<roleId xsi:nil=\"true\"/>"
                + "<sessionSecondsValid>" + sessions.timeout().toSeconds() + "</sessionSecondsValid>"
                + "<userDefaultCurrencyIsoCode xsi:nil=\"true\"/>"
                + "<userEmail>" + ConnectedApp.USER_NAME + "</userEmail>"
                + "<userFullName>" + ConnectedApp.DISPLAY_NAME + "</userFullName>"
                + "<userId>" + ConnectedApp.USER_ID + "</userId>"
                + "<userLanguage>en_US</userLanguage>"
                + "<userLocale>en_US</userLocale>"
                + "<userName>" + ConnectedApp.USER_NAME + "</userName>"
                + "<userTimeZone>" + ConnectedApp.TIME_ZONE + "</userTimeZone>"
                + "<userType>Standard</userType>"
                + "<userUiSkin>Theme3</userUiSkin>"
                + "</userInfo>";
        HttpReplies.send(exchange, 200, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE + "\" xmlns=\"urn:" + api + ".soap.sforce.com\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><loginResponse><result>"
                + result + "</result></loginResponse></soapenv:Body></soapenv:Envelope>");
    }

    private void logout(HttpExchange exchange, String api, String sessionId) throws IOException {
        if (!sessions.valid(sessionId)) {
            fault(exchange, api, "sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: " + ILLEGAL_SESSION, "UnexpectedErrorFault");
            return;
        }
        sessions.revoke(sessionId);
        HttpReplies.send(exchange, 200, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE + "\" xmlns=\"urn:" + api + ".soap.sforce.com\">"
                + "<soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>");
    }

    /** A SOAP fault, HTTP 500 as SOAP 1.1 requires; an sf: fault carries the API's fault detail (LoginFault, ...). */
    private static void fault(HttpExchange exchange, String api, String code, String message, String faultType)
            throws IOException {
        String exceptionCode = code.substring(code.indexOf(':') + 1);
        String detail = faultType == null ? "" : "<detail><sf:" + faultType + " xsi:type=\"sf:" + faultType + "\"><sf:exceptionCode>"
                + exceptionCode + "</sf:exceptionCode><sf:exceptionMessage>" + message.substring(message.indexOf(": ") + 2)
                + "</sf:exceptionMessage></sf:" + faultType + "></detail>";
        HttpReplies.send(exchange, 500, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE + "\" xmlns:sf=\"urn:fault." + api + ".soap.sforce.com\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault><faultcode>"
                + code + "</faultcode><faultstring>" + message + "</faultstring>" + detail
                + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>");
    }

    /** A SOAP message, namespace-aware, or null when it is not XML; no DTDs or external entities are read. */
    private static Document parse(byte[] request) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(request));
        } catch (Exception malformed) {
            return null;
        }
    }

    /** The envelope's one Header or Body element; null when there is none or more than one. */
    private static Element only(Document envelope, String name) {
        NodeList elements = envelope.getElementsByTagNameNS(ENVELOPE, name);
        return elements.getLength() == 1 ? (Element) elements.item(0) : null;
    }

    /** The first child element (with that local name, when one is given); null for a null parent. */
    private static Element firstChild(Element parent, String name) {
        for (Node node = parent == null ? null : parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (name == null || name.equals(element.getLocalName()))) {
                return element;
            }
        }
        return null;
    }

    private static String child(Element parent, String name) {
        Element child = firstChild(parent, name);
        return child == null ? null : child.getTextContent();
    }
}
