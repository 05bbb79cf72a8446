import { composeGroupAction, editContainer, listComposeGroups, previewEdit } from '../../core/containers';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type ContainerEditHandlers = Pick<
  Handlers,
  'containers.editPreview' | 'containers.edit' | 'compose.groups' | 'compose.action'
>;

export function containerEditHandlers({ engine }: Services): ContainerEditHandlers {
  return {
    'containers.editPreview': ({ id, changes }) => previewEdit(engine, id, changes),
    'containers.edit': ({ id, changes }) => editContainer(engine, id, changes),
    'compose.groups': () => listComposeGroups(engine),
    'compose.action': ({ project, action, ids }) => composeGroupAction(engine, project, action, ids),
  };
}
