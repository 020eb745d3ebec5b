// Writing and reading EWS SOAP documents for the EWS test server (test/support/ews/ews-server.ts).
// Namespaces and element names as Microsoft's EWS schema defines them (Messages.xsd, Types.xsd); SOAP 1.1 envelope.

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const MESSAGES_NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const TYPES_NS = 'http://schemas.microsoft.com/exchange/services/2006/types';
/** SOAP Autodiscover (MS-OXWSADISC) and the WS-Addressing its messages carry. */
export const AUTODISCOVER_NS = 'http://schemas.microsoft.com/exchange/2010/Autodiscover';
export const ADDRESSING_NS = 'http://www.w3.org/2005/08/addressing';

/** Text and attribute values escaped for XML 1.0. */
export function esc(value: string | number | boolean): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A whole response: the envelope, Types.xsd ServerVersionInfo in the header (as Exchange Server 2016 CU sends it),
 * and `body` inside soap:Body.
 */
export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${SOAP_NS}">` +
    `<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" xmlns:h="${TYPES_NS}" xmlns="${TYPES_NS}"/></s:Header>` +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** Messages.xsd <Op>Response / ResponseMessages / <Op>ResponseMessage, one per answer. */
export function operationResponse(operation: string, messages: readonly string[]): string {
  return `<m:${operation}Response xmlns:m="${MESSAGES_NS}" xmlns:t="${TYPES_NS}"><m:ResponseMessages>${messages.join('')}</m:ResponseMessages></m:${operation}Response>`;
}

/** Messages.xsd ResponseMessageType with ResponseClass Success: ResponseCode NoError, then the operation's own elements. */
export function success(operation: string, content = ''): string {
  return `<m:${operation}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${content}</m:${operation}ResponseMessage>`;
}

/** ResponseClass Error: MessageText, ResponseCode, DescriptiveLinkKey (in schema order), then the operation's (empty) elements. */
export function failure(operation: string, code: string, text: string, after = ''): string {
  return `<m:${operation}ResponseMessage ResponseClass="Error"><m:MessageText>${esc(text)}</m:MessageText><m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${after}</m:${operation}ResponseMessage>`;
}

/**
 * A SOAP fault as Exchange 2013 and later send for throttling: faultcode, faultstring, and a detail with the
 * ResponseCode and MessageXml carrying BackOffMilliseconds (Types.xsd Value Name="BackOffMilliseconds").
 */
export function serverBusyFault(backOffMs: number): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${TYPES_NS}">a:ErrorServerBusy</faultcode>` +
    '<faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>' +
    `<detail><e:ResponseCode xmlns:e="${ERRORS_NS}">ErrorServerBusy</e:ResponseCode>` +
    `<e:Message xmlns:e="${ERRORS_NS}">The server cannot service this request right now. Try again later.</e:Message>` +
    `<t:MessageXml xmlns:t="${TYPES_NS}"><t:Value Name="BackOffMilliseconds">${backOffMs}</t:Value></t:MessageXml>` +
    '</detail></s:Fault></s:Body></s:Envelope>'
  );
}
/**
 * The SOAP fault Exchange answers a request that is not well-formed XML with (HTTP 500): ErrorSchemaValidation, with
 * where the parser stopped in MessageXml.
 */
export function schemaValidationFault(position: number): string {
  const violation = `An error occurred while parsing EntityName. Line 1, position ${position}.`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${TYPES_NS}">a:ErrorSchemaValidation</faultcode>` +
    `<faultstring xml:lang="en-US">The request failed schema validation: ${violation}</faultstring>` +
    `<detail><e:ResponseCode xmlns:e="${ERRORS_NS}">ErrorSchemaValidation</e:ResponseCode>` +
    `<e:Message xmlns:e="${ERRORS_NS}">The request failed schema validation.</e:Message>` +
    `<t:MessageXml xmlns:t="${TYPES_NS}"><t:LineNumber>1</t:LineNumber><t:LinePosition>${position}</t:LinePosition><t:Violation>${violation}</t:Violation></t:MessageXml>` +
    '</detail></s:Fault></s:Body></s:Envelope>'
  );
}

const ERRORS_NS = 'http://schemas.microsoft.com/exchange/services/2006/errors';
