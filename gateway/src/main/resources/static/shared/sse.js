// Server-sent events read with fetch, because EventSource cannot send the Authorization header the API needs. It keeps
// EventSource's contract: events in order, and after a dropped connection a reconnect (backing off) that sends the
// last event id seen as Last-Event-ID, so the server resumes after it and nothing is lost.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows url with the bearer token from token(); onEvent(name, data, id) gets each event and returns true when the
 * stream is over (then it is not reopened); onState(state) hears 'open', 'reconnecting', 'closed' (a 4xx answer).
 */
export function follow(url, token, { onEvent, onState = () => {}, lastEventId = null }) {
  let last = lastEventId;
  let stopped = false;
  let controller = null;
  let delay = 500;

  function dispatch(block) {
    let name = 'message';
    let id = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length === 0) return false;
    if (id !== null) last = id;
    return onEvent(name, JSON.parse(data.join('\n')), id) === true;
  }

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' };
        if (last) headers['Last-Event-ID'] = last;
        const response = await fetch(url, { headers, signal: controller.signal });
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          stopped = true;
          onState('closed', response.status);
          return;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        onState('open');
        delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            if (dispatch(block)) {
              stopped = true;
              controller.abort();
              onState('ended');
              return;
            }
          }
        }
        throw new Error('stream ended early');
      } catch (e) {
        if (stopped) return;
        onState('reconnecting');
        await sleep(delay);
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  run();
  return {
    /** Stops following for good. */
    close() { stopped = true; controller?.abort(); },
    /** Drops the connection as a network would: the stream reconnects and resumes from the last event. */
    drop() { controller?.abort(); },
    get lastEventId() { return last; },
  };
}
