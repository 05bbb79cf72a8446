import { useId } from 'react';
import type { DeployTarget, ErrorShape, Platform } from '../../electron/contract';
import { useProcedure } from '../app/use-procedure';
import { fieldErrorUnder } from '../ui/errors';
import { Field } from '../ui/Field';

/** What the pipeline form keeps for a deploy: the platform, the app, and App Service's own settings. */
export interface DeployChoice {
  platform: Platform | '';
  app: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  plan: string;
  privateRegistry: boolean;
}

export const NO_DEPLOY: DeployChoice = {
  platform: '',
  app: '',
  subscriptionId: '',
  resourceGroup: '',
  location: 'westeurope',
  plan: '',
  privateRegistry: false,
};

/** The request's deploy target for a choice (none when no platform is chosen). */
export function deployTarget(choice: DeployChoice): Omit<DeployTarget, 'overrideParity'> | undefined {
  if (!choice.platform) return undefined;
  return {
    platform: choice.platform,
    app: choice.app.trim(),
    ...(choice.platform === 'azure' && {
      azure: {
        subscriptionId: choice.subscriptionId.trim(),
        resourceGroup: choice.resourceGroup.trim(),
        location: choice.location.trim(),
        plan: choice.plan.trim(),
        privateRegistry: choice.privateRegistry,
      },
    }),
  };
}

/**
 * The deploy the pipeline ends with: Heroku or App Service, the app, and for Azure the subscription, group,
 * region and Linux plan (created when missing). The sign-ins are the Deploy panel's: the pipeline uses them.
 */
export function PipelineDeployFields({
  choice,
  onChange,
  error,
}: {
  choice: DeployChoice;
  onChange: (choice: DeployChoice) => void;
  error: ErrorShape | null;
}) {
  const set = (patch: Partial<DeployChoice>) => onChange({ ...choice, ...patch });
  return (
    <>
      <div className="split">
        <Field label="Deploy to" hint="a deploy runs only after its parity run passes; sign in under Deploy below">
          <select value={choice.platform} onChange={(e) => set({ platform: e.target.value as Platform | '' })}>
            <option value="">no deploy</option>
            <option value="heroku">Heroku</option>
            <option value="azure">Azure App Service</option>
          </select>
        </Field>
        {choice.platform && (
          <Field label="App name" error={fieldErrorUnder(error, 'deploy.app')}>
            <input value={choice.app} onChange={(e) => set({ app: e.target.value })} spellCheck={false} />
          </Field>
        )}
      </div>
      {choice.platform === 'azure' && <AzureTargetFields choice={choice} set={set} error={error} />}
    </>
  );
}

function AzureTargetFields({
  choice,
  set,
  error,
}: {
  choice: DeployChoice;
  set: (patch: Partial<DeployChoice>) => void;
  error: ErrorShape | null;
}) {
  const subscriptions = useProcedure('azure.subscriptions', {});
  const listId = useId();
  const field = (name: string) => fieldErrorUnder(error, `deploy.azure.${name}`);
  return (
    <fieldset className="split" aria-label="App Service target">
      <Field
        label="Subscription"
        error={field('subscriptionId')}
        hint={subscriptions.error ? 'sign in to Azure under Deploy below to list yours' : undefined}
      >
        <input
          list={listId}
          value={choice.subscriptionId}
          onChange={(e) => set({ subscriptionId: e.target.value })}
          spellCheck={false}
        />
      </Field>
      <datalist id={listId}>
        {(subscriptions.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </datalist>
      <Field label="Resource group" error={field('resourceGroup')}>
        <input
          value={choice.resourceGroup}
          onChange={(e) => set({ resourceGroup: e.target.value })}
          spellCheck={false}
        />
      </Field>
      <Field label="Region (for new resources)" error={field('location')}>
        <input value={choice.location} onChange={(e) => set({ location: e.target.value })} spellCheck={false} />
      </Field>
      <Field label="Linux plan" error={field('plan')}>
        <input value={choice.plan} onChange={(e) => set({ plan: e.target.value })} spellCheck={false} />
      </Field>
      <label>
        <input
          type="checkbox"
          checked={choice.privateRegistry}
          onChange={(e) => set({ privateRegistry: e.target.checked })}
        />{' '}
        Private registry: App Service pulls with the push login
      </label>
    </fieldset>
  );
}
