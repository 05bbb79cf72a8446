import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { LayerTree } from '../../electron/contract';
import { FileTreeView, ROW_HEIGHT } from './FileTreeView';

/** 100,000 files in 100 directories of 1,000, sizes growing with the file number; one deleted path. */
function bigLayer(): LayerTree {
  const paths: string[] = [];
  const sizes: number[] = [];
  let kinds = '';
  let changes = '';
  for (let d = 0; d < 100; d += 1) {
    paths.push(`srv/dir${d}`);
    sizes.push(0);
    kinds += 'd';
    changes += 'a';
    for (let f = 0; f < 1000; f += 1) {
      paths.push(`srv/dir${d}/file${f}.txt`);
      sizes.push(d * 1000 + f);
      kinds += 'f';
      changes += 'a';
    }
  }
  paths.push('etc/old.conf');
  sizes.push(77);
  kinds += 'f';
  changes += 'd';
  return { paths, kinds, changes, sizes };
}

const rowNames = () => screen.queryAllByRole('treeitem').map((r) => r.querySelector('.file-name')?.textContent);
/** A screenful (renderer/test-setup.ts makes every clientHeight 600 px) plus 10 rows of overscan each side. */
const MAX_ROWS_IN_DOM = Math.ceil(600 / ROW_HEIGHT) + 2 * 10 + 1;

describe('FileTreeView', () => {
  const layer = bigLayer();

  it('draws a bounded number of rows for 100,000 files, however far it scrolls', async () => {
    render(<FileTreeView columns={layer} label="Files of layer 1" />);
    const tree = screen.getByRole('tree', { name: 'Files of layer 1' });
    expect(rowNames()).toEqual(['srv', 'etc']); // by size: srv holds everything added; etc only a deletion
    await userEvent.click(within(tree).getByText('srv'));
    expect(rowNames().slice(0, 3)).toEqual(['srv', 'dir99', 'dir98']); // biggest first
    expect(rowNames().length).toBeLessThanOrEqual(MAX_ROWS_IN_DOM); // 102 rows in the tree
    // A search that matches every file opens every folder: 100,101 rows in the tree, a window in the DOM.
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'file' } });
    expect(screen.getByTestId('tree-count')).toHaveTextContent('100101 rows match');
    expect(screen.getAllByRole('treeitem').length).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    fireEvent.scroll(tree, { target: { scrollTop: 50_000 * ROW_HEIGHT } });
    const rows = screen.getAllByRole('treeitem');
    expect(rows.length).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => Number(r.style.getPropertyValue('--row')) >= 50_000 - 10)).toBe(true);
  });

  it('finds a path among 100,000 and opens its folders; shows deletions struck through', async () => {
    render(<FileTreeView columns={layer} label="Files of layer 1" />);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search Files of layer 1' }), 'dir42/file7.');
    expect(rowNames()).toEqual(['srv', 'dir42', 'file7.txt']);
    expect(screen.getAllByRole('treeitem')[2]).toHaveAttribute('aria-level', '3');
    await userEvent.clear(screen.getByRole('searchbox'));
    await userEvent.type(screen.getByRole('searchbox'), 'old.conf');
    const deleted = screen.getAllByRole('treeitem')[1]!;
    expect(deleted).toHaveClass('change-d');
    expect(deleted).toHaveTextContent('deleted');
    expect(deleted).toHaveTextContent('77 B');
  });

  it('sorts by name or by size', async () => {
    render(<FileTreeView columns={layer} label="Files" />);
    await userEvent.click(screen.getByText('srv'));
    const dirs = () => rowNames().slice(1, 4);
    expect(dirs()).toEqual(['dir99', 'dir98', 'dir97']);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Sort files by' }), 'name');
    expect(rowNames()[0]).toBe('etc');
    expect(rowNames().slice(2, 5)).toEqual(['dir0', 'dir1', 'dir10']);
  });

  it('is a keyboard tree: arrows move and open, Left goes back to the folder', () => {
    render(<FileTreeView columns={layer} label="Files" />);
    const tree = screen.getByRole('tree');
    tree.focus();
    const active = () => document.getElementById(tree.getAttribute('aria-activedescendant') ?? '');
    expect(active()).toHaveTextContent('srv');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(active()).toHaveAttribute('aria-expanded', 'true');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(active()).toHaveTextContent('dir99');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(active()).toHaveTextContent('dir98');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(active()).toHaveTextContent('srv');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(active()).toHaveAttribute('aria-expanded', 'false');
    fireEvent.keyDown(tree, { key: 'End' });
    expect(active()).toHaveTextContent('etc');
  });
});
