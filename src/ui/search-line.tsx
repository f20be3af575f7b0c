// Ctrl-R: the reverse incremental search, bash style.
import React from 'react';
import { Text } from 'ink';

export function searchLabel(query: string, found: boolean): string {
  return `(${found || !query ? '' : 'failing '}reverse-i-search)\`${query}': `;
}

export function SearchLine(props: { query: string; match: string; found: boolean }): React.ReactElement {
  return (
    <Text wrap="truncate">
      {searchLabel(props.query, props.found)}
      {props.match.replace(/\n/g, ' ')}
    </Text>
  );
}
