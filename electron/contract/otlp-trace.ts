/**
 * A build's trace as OpenTelemetry's OTLP/JSON encoding of `ExportTraceServiceRequest`
 * (opentelemetry-proto, trace/v1): what Jaeger, Tempo and the OpenTelemetry collector read. The JSON
 * encoding's rules: trace and span ids are lower-case hex (16 and 8 bytes), 64-bit integers (times in
 * nanoseconds, intValue) are decimal strings, enums are numbers, field names are lowerCamelCase.
 */
import { z } from 'zod';

const Hex = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`)
    .refine((id) => /[1-9a-f]/.test(id), 'an all-zero id is invalid');

const UnixNano = z.string().regex(/^\d{1,20}$/, 'nanoseconds since the Unix epoch, as a decimal string');

export const OtlpAnyValue = z.union([
  z.object({ stringValue: z.string() }).strict(),
  z.object({ boolValue: z.boolean() }).strict(),
  z.object({ intValue: z.string().regex(/^-?\d{1,19}$/) }).strict(),
  z.object({ doubleValue: z.number() }).strict(),
]);

export const OtlpKeyValue = z.object({ key: z.string().min(1), value: OtlpAnyValue }).strict();
export type OtlpKeyValue = z.infer<typeof OtlpKeyValue>;

export const OtlpSpan = z
  .object({
    traceId: Hex(16),
    spanId: Hex(8),
    parentSpanId: Hex(8).optional(),
    name: z.string().min(1),
    /** SPAN_KIND_INTERNAL = 1. */
    kind: z.number().int().min(0).max(5),
    startTimeUnixNano: UnixNano,
    endTimeUnixNano: UnixNano,
    attributes: z.array(OtlpKeyValue),
    /** STATUS_CODE_UNSET = 0, OK = 1, ERROR = 2. */
    status: z.object({ code: z.number().int().min(0).max(2), message: z.string().optional() }).strict(),
  })
  .strict()
  .refine((s) => BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano), 'a span ends after it starts');
export type OtlpSpan = z.infer<typeof OtlpSpan>;

export const OtlpTrace = z
  .object({
    resourceSpans: z.array(
      z
        .object({
          resource: z.object({ attributes: z.array(OtlpKeyValue) }).strict(),
          scopeSpans: z.array(
            z
              .object({
                scope: z.object({ name: z.string(), version: z.string().optional() }).strict(),
                spans: z.array(OtlpSpan),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict()
  .describe('OTLP/JSON ExportTraceServiceRequest');
export type OtlpTrace = z.infer<typeof OtlpTrace>;
