import { useProcedure } from '../app/use-procedure';
import { AzureDeploy } from './AzureDeploy';
import { HerokuDeploy } from './HerokuDeploy';

/** Deploy the local image to Heroku or Azure App Service; says where requests go when BERTH_* overrides them. */
export function DeployPanel({ source }: { source: string }) {
  const endpoints = useProcedure('deploy.endpoints', {});
  const project = useProcedure('project.default', {});
  return (
    <section className="deploy-panel" aria-label="Deploy">
      <h3>Deploy</h3>
      {endpoints.data && endpoints.data.overridden.length > 0 && (
        <p className="muted" role="note">
          Endpoints set by the environment: {endpoints.data.overridden.join(', ')} (Heroku API{' '}
          {endpoints.data.heroku.apiUrl}, registry {endpoints.data.heroku.registry}; Azure ARM{' '}
          {endpoints.data.azure.armUrl}, sign-in {endpoints.data.azure.authorityHost})
        </p>
      )}
      {endpoints.data?.problems.map((p) => (
        <p key={p.variable} className="field-error" role="alert">
          {p.message}
        </p>
      ))}
      <div className="deploy-platforms">
        <HerokuDeploy source={source} contextDir={project.data?.contextDir ?? null} />
        <AzureDeploy source={source} />
      </div>
    </section>
  );
}
