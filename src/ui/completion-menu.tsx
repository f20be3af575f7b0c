// The candidates when more than one completion fits; a window of them around the selection.
import React from 'react';
import { Box, Text } from 'ink';
import type { CompletionCandidate } from './engine.js';
import { displayWidth, fitToWidth } from '../format/width.js';

export const MENU_ROWS = 8;

export function menuWindow(count: number, selected: number, rows = MENU_ROWS): { start: number; end: number } {
  if (count <= rows) return { start: 0, end: count };
  const start = Math.max(0, Math.min(selected - Math.floor(rows / 2), count - rows));
  return { start, end: start + rows };
}

/** Columns of the value column: the widest value on screen (in terminal columns), at most 40. */
export function menuWidth(shown: { value: string }[]): number {
  return Math.min(40, Math.max(0, ...shown.map((c) => displayWidth(c.value))) + 2);
}

/** A value padded by display width, so a CJK value does not push its description right. */
export function menuLabel(value: string, width: number): string {
  return ` ${fitToWidth(value, width - 1)}`;
}

export function CompletionMenu(props: { candidates: CompletionCandidate[]; selected: number; indent: number; columns: number; color: boolean }): React.ReactElement {
  const { candidates, selected } = props;
  const { start, end } = menuWindow(candidates.length, selected);
  const width = menuWidth(candidates.slice(start, end));
  const indent = Math.max(0, Math.min(props.indent, props.columns - width - 12));
  return (
    <Box flexDirection="column">
      {candidates.slice(start, end).map((c, i) => {
        const on = start + i === selected;
        const label = menuLabel(c.value, width);
        const note = ` ${c.kind}${c.detail ? ' ' + c.detail : ''} `;
        return (
          <Text key={start + i} wrap="truncate">
            {' '.repeat(indent)}
            <Text inverse={on}>{label}</Text>
            <Text dimColor={props.color} inverse={on}>
              {note}
            </Text>
            {!props.color && on ? ' <' : ''}
          </Text>
        );
      })}
      {candidates.length > end - start ? (
        <Text dimColor={props.color} wrap="truncate">
          {' '.repeat(indent)} {selected + 1}/{candidates.length}
        </Text>
      ) : null}
    </Box>
  );
}
