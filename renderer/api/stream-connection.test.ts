/** The shared stream socket reconnects after a drop and subscribes again to what is still wanted. */
import { type SocketLike, StreamConnection } from './stream-connection';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

describe('StreamConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resubscribes after the socket drops, and forgets ended subscriptions', () => {
    const sockets: FakeSocket[] = [];
    const connection = new StreamConnection(() => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    });
    const events: unknown[] = [];
    const stopA = connection.subscribe('engine', {}, { onEvent: (e) => events.push(e) });
    connection.subscribe('logs', { id: 'c' }, { onEvent: () => {} });
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual([
      { op: 'subscribe', sid: 's1', stream: 'engine', params: {} },
      { op: 'subscribe', sid: 's2', stream: 'logs', params: { id: 'c' } },
    ]);
    sockets[0]!.receive({ sid: 's1', event: { n: 1 } });
    sockets[0]!.receive({ sid: 's2', end: true });
    expect(events).toEqual([{ n: 1 }]);

    sockets[0]!.drop();
    vi.advanceTimersByTime(300);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ op: 'subscribe', sid: 's1', stream: 'engine', params: {} }]);

    stopA();
    expect(sockets[1]!.sent.at(-1)).toEqual({ op: 'unsubscribe', sid: 's1' });
    sockets[1]!.drop();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(2); // nothing left to resubscribe
  });

  it('turns an error message into a BerthError and ends that subscription', () => {
    const socket = new FakeSocket();
    const connection = new StreamConnection(() => socket);
    const onError = vi.fn();
    connection.subscribe('build', { buildId: 'b' }, { onEvent: () => {}, onError });
    socket.open();
    socket.receive({ sid: 's1', error: { code: 'NOT_FOUND', message: 'No such build', fix: 'Refresh.' } });
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ name: 'BerthError', code: 'NOT_FOUND', fix: 'Refresh.' });
    socket.receive({ sid: 's1', event: {} }); // ignored after the error
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
