/** The client side of a transport the core or the relay made, as mediasoup-client takes it. */
import type { Device, types } from 'mediasoup-client';
import type { LiveConsumerDto, LiveTransportDto } from '@shared/api/live';

export function transportParams(t: LiveTransportDto) {
  return {
    id: t.id,
    iceParameters: t.iceParameters as unknown as types.IceParameters,
    iceCandidates: t.iceCandidates as unknown as types.IceCandidate[],
    dtlsParameters: t.dtlsParameters as unknown as types.DtlsParameters,
  };
}

/** A receiving transport whose DTLS parameters go back through `connect`. */
export function recvTransport(
  device: Device,
  t: LiveTransportDto,
  connect: (dtlsParameters: Record<string, unknown>) => Promise<unknown>,
): types.Transport {
  const transport = device.createRecvTransport(transportParams(t));
  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    connect(dtlsParameters as unknown as Record<string, unknown>).then(() => done(), fail);
  });
  return transport;
}

/** The client side of a consumer the core or the relay made on `transport`. */
export function consumerOf(
  transport: types.Transport,
  c: LiveConsumerDto,
): Promise<types.Consumer> {
  return transport.consume({
    id: c.consumerId,
    producerId: c.producerId,
    kind: c.kind,
    rtpParameters: c.rtpParameters as unknown as types.RtpParameters,
  });
}
