// Asks before a destructive statement; only y runs it.
import React from 'react';
import { Text } from 'ink';

export function ConfirmDialog(props: { question: string; color: boolean }): React.ReactElement {
  return (
    <Text wrap="wrap">
      <Text color={props.color ? 'yellow' : undefined} bold={props.color}>
        {props.question}
      </Text>{' '}
      [y/N]
    </Text>
  );
}
