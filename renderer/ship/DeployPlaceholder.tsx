import { Button } from '../ui/Button';

/** Where deploy buttons will go; not wired yet. */
export function DeployPlaceholder() {
  return (
    <section className="panel deploy-placeholder" aria-label="Deploy">
      <h3>Deploy</h3>
      <p className="muted">Coming in the ship issue: deploy the pushed image to a platform that sets PORT for you.</p>
      <div className="toolbar">
        <Button disabled aria-describedby="deploy-coming">
          Deploy to Heroku
        </Button>
        <Button disabled aria-describedby="deploy-coming">
          Deploy to Azure
        </Button>
        <small id="deploy-coming" className="muted">
          coming in the ship issue
        </small>
      </div>
    </section>
  );
}
