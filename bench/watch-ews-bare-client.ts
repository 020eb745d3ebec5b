// The baseline of the EWS push benchmark, in its own process: per mailbox a bare EWS client that holds a streaming
// subscription on the Inbox (Subscribe with StreamingSubscriptionRequest, NewMailEvent) and a GetStreamingEvents
// connection (Messages.xsd GetStreamingEventsType), plain SOAP over node:http with Basic sign-in, no library. It prints
// one JSON line per NewMailEvent it hears ({"i": mailbox index, "t": Date.now()}) and {"ready": n} once every mailbox is
// subscribed and its connection is asked for. Input on argv: the EWS URL, the password, then the addresses.
import http from 'node:http';

const [url, password, ...addresses] = process.argv.slice(2);
const CONCURRENCY = 50;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const ENVELOPE_END = /<\/(?:[A-Za-z_][\w.-]*:)?Envelope\s*>/;

const soap = (body: string) =>
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">' +
  `<soap:Header><t:RequestServerVersion Version="Exchange2010_SP2"/></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

function post(address: string, body: string, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
  const data = Buffer.from(soap(body), 'utf8');
  const req = http.request(url, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(data.length), authorization: `Basic ${Buffer.from(`${address}:${password}`).toString('base64')}` },
  });
  req.on('response', onResponse);
  req.end(data);
  return req;
}

function subscribe(address: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = post(
      address,
      '<m:Subscribe><m:StreamingSubscriptionRequest><t:FolderIds><t:DistinguishedFolderId Id="inbox"/></t:FolderIds><t:EventTypes><t:EventType>NewMailEvent</t:EventType></t:EventTypes></m:StreamingSubscriptionRequest></m:Subscribe>',
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const id = /<m:SubscriptionId>([^<]+)<\/m:SubscriptionId>/.exec(text)?.[1];
          if (res.statusCode === 200 && id) resolve(id);
          else reject(new Error(`Subscribe for ${address}: HTTP ${res.statusCode}`));
        });
      },
    );
    req.on('error', reject);
  });
}

/** One GetStreamingEvents connection after another (each lasts up to its 30 minutes), until the process ends. */
function listen(index: number, subscriptionId: string): void {
  const req = post(addresses[index], `<m:GetStreamingEvents><m:SubscriptionIds><t:SubscriptionId>${subscriptionId}</t:SubscriptionId></m:SubscriptionIds><m:ConnectionTimeout>30</m:ConnectionTimeout></m:GetStreamingEvents>`, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const t = Date.now();
      buffer += chunk;
      for (let end = ENVELOPE_END.exec(buffer); end; end = ENVELOPE_END.exec(buffer)) {
        const document = buffer.slice(0, end.index + end[0].length);
        buffer = buffer.slice(end.index + end[0].length);
        for (let k = (document.match(/<(?:\w+:)?NewMailEvent\b/g) ?? []).length; k > 0; k--) process.stdout.write(`${JSON.stringify({ i: index, t })}\n`);
      }
    });
    res.on('end', () => listen(index, subscriptionId));
  });
  req.on('error', (error) => {
    process.stderr.write(`bare EWS client: ${addresses[index]}: ${String(error)}\n`);
    setTimeout(() => listen(index, subscriptionId), 1000);
  });
}

async function main(): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < addresses.length) {
        const index = next++;
        listen(index, await subscribe(addresses[index]));
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ ready: addresses.length })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare EWS client failed: ${String(error)}\n`);
  process.exit(1);
});
