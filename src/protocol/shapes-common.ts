// Shapes shared by several shapes files (screens and sizes), kept apart so that those files can import them
// without importing one another.
import { z } from 'zod';

const CellColor = z.union([
  z.object({ mode: z.literal('palette'), index: z.number().int() }),
  z.object({ mode: z.literal('rgb'), rgb: z.number().int() }),
]);

export const SpanStyle = z.object({
  fg: CellColor.optional(),
  bg: CellColor.optional(),
  bold: z.literal(true).optional(),
  dim: z.literal(true).optional(),
  italic: z.literal(true).optional(),
  underline: z.literal(true).optional(),
  inverse: z.literal(true).optional(),
  strikethrough: z.literal(true).optional(),
});

/** corral: one line of a terminal screen, as styled text (never escape sequences). */
export const ScreenLine = z.object({
  text: z.string(),
  spans: z.array(z.object({ text: z.string(), style: SpanStyle })),
});

export const TerminalSize = z.object({ rows: z.number().int().min(1).max(1000), cols: z.number().int().min(1).max(1000) });
