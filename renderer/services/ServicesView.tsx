import { type FormEvent, useState } from 'react';
import type { ErrorShape, SwarmService } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { PortLink } from '../containers/PortLink';
import { useEngineEvents } from '../engine/engine-context';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { shortId } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { type Column, Table } from '../ui/Table';
import { RemoveServiceDialog } from './RemoveServiceDialog';
import { ServiceLogs } from './ServiceLogs';
import { taskTone, toServiceDeploy, updateTone } from './service-deploy';
import './services.css';

type Task = SwarmService['tasks'][number];

/** Services: on a Swarm manager, each service with its replicas and tasks (state, port), deploy, scale, logs. */
export function ServicesView() {
  const status = useProcedure('services.status', {});
  if (status.status === 'loading' && !status.data) return <Spinner label="Asking the engine about Swarm" />;
  if (status.error) return <ErrorNotice title="Swarm status" error={status.error} />;
  if (!status.data?.manager) {
    return (
      <div className="services-view">
        <h2>Services</h2>
        <EmptyState
          title="Swarm services are not available here"
          action={
            <Button size="small" onClick={status.reload}>
              Check again
            </Button>
          }
        >
          {status.data?.reason}
        </EmptyState>
      </div>
    );
  }
  return <ManagerServices />;
}

function ManagerServices() {
  const api = useApi();
  const services = useProcedure('services.list', {});
  const images = useProcedure('images.list', {});
  useEngineEvents('service', services.reload);
  useEngineEvents('container', services.reload);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [removing, setRemoving] = useState<SwarmService | null>(null);

  const act = (work: Promise<unknown>) => {
    setError(null);
    work.then(services.reload, (e: unknown) => setError(toErrorShape(e)));
  };
  const list = services.data ?? [];
  // The service whose logs are open, while it exists.
  const logsService = list.find((s) => s.id === logsOf);
  return (
    <div className="services-view">
      <h2>Services</h2>
      <DeployForm
        tags={(images.data ?? []).flatMap((i) => i.tags)}
        onDeploy={(request) => act(api.call('services.deploy', request))}
      />
      {error && <ErrorNotice title="That did not work" error={error} />}
      {services.error && <ErrorNotice title="Services" error={services.error} />}
      {services.status === 'loading' && !services.data && <Spinner label="Loading services" />}
      {services.data && list.length === 0 && (
        <EmptyState title="No services yet">Deploy an image above to run it as a replicated service.</EmptyState>
      )}
      {list.map((service) => (
        <ServiceCard
          key={service.id}
          service={service}
          onScale={(replicas) => act(api.call('services.scale', { ref: service.id, replicas }))}
          onRemove={() => setRemoving(service)}
          onLogs={() => setLogsOf(service.id)}
        />
      ))}
      {removing && (
        <RemoveServiceDialog
          service={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            services.reload();
          }}
        />
      )}
      {logsService && <ServiceLogs key={logsService.id} service={logsService} onClose={() => setLogsOf(null)} />}
    </div>
  );
}

function DeployForm({ tags, onDeploy }: { tags: string[]; onDeploy: (r: ReturnType<typeof toServiceDeploy>) => void }) {
  const [image, setImage] = useState('');
  const [name, setName] = useState('notes');
  const [port, setPort] = useState('5000');
  const [replicas, setReplicas] = useState('2');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onDeploy(
      toServiceDeploy({ image: image || tags[0] || '', name, port, hostPort: '', env: [], volume: '' }, replicas),
    );
  };
  return (
    <form className="deploy-form" aria-label="Deploy a service" onSubmit={submit}>
      <Field label="Image">
        <input list="service-images" value={image} placeholder={tags[0]} onChange={(e) => setImage(e.target.value)} />
      </Field>
      <datalist id="service-images">
        {tags.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <Field label="Service name">
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Container port (PORT)" hint="each task gets its own host port">
        <input value={port} inputMode="numeric" onChange={(e) => setPort(e.target.value)} />
      </Field>
      <Field label="Replicas">
        <input value={replicas} inputMode="numeric" onChange={(e) => setReplicas(e.target.value)} />
      </Field>
      <Button type="submit" variant="primary">
        Deploy
      </Button>
    </form>
  );
}

function ServiceCard({
  service,
  onScale,
  onRemove,
  onLogs,
}: {
  service: SwarmService;
  onScale: (replicas: number) => void;
  onRemove: () => void;
  onLogs: () => void;
}) {
  const [replicas, setReplicas] = useState(String(service.replicas));
  const columns: Column<Task>[] = [
    { key: 'slot', header: 'Slot', cell: (t) => (t.slot === null ? '—' : `${service.name}.${t.slot}`) },
    { key: 'state', header: 'State', cell: (t) => <Badge tone={taskTone(t.state)}>{t.state}</Badge> },
    { key: 'desired', header: 'Desired', cell: (t) => t.desiredState },
    { key: 'image', header: 'Image', cell: (t) => <span className="mono cell-wrap">{t.image}</span> },
    {
      key: 'port',
      header: 'Port',
      cell: (t) =>
        t.ports.length === 0
          ? '—'
          : t.ports.map((p) => (
              <PortLink
                key={p.hostPort}
                port={{ hostIp: '0.0.0.0', hostPort: p.hostPort, containerPort: p.containerPort, protocol: 'tcp' }}
              />
            )),
    },
    { key: 'message', header: 'Message', cell: (t) => <span className="cell-wrap">{t.error ?? t.message}</span> },
  ];
  return (
    <section className="service-card" aria-label={`Service ${service.name}`}>
      <header>
        <h3 className="mono">{service.name}</h3>
        <span className="mono">{service.image}</span>
        <Badge tone={service.running === service.replicas ? 'good' : 'warn'}>
          {service.running}/{service.replicas} running
        </Badge>
        {service.update && (
          <Badge tone={updateTone(service.update.state)} title={service.update.message}>
            update: {service.update.state}
          </Badge>
        )}
        <span className="service-actions">
          <input
            aria-label={`Replicas of ${service.name}`}
            value={replicas}
            inputMode="numeric"
            onChange={(e) => setReplicas(e.target.value)}
          />
          <Button size="small" onClick={() => onScale(Number(replicas))}>
            Scale
          </Button>
          <Button size="small" onClick={onLogs}>
            Logs
          </Button>
          <Button size="small" variant="danger" onClick={onRemove}>
            Remove
          </Button>
        </span>
      </header>
      <Table label={`Tasks of ${service.name}`} columns={columns} rows={service.tasks} rowKey={(t) => t.id} />
      <small className="muted">id {shortId(service.id)}</small>
    </section>
  );
}
