import { useTranslation } from 'react-i18next';
import type { OfficerDto } from '@shared/domain';
import { FieldGroup } from '../../ui/Field';
import type { FieldMessage } from '../../ui/fieldErrors';

/**
 * Picks the officers handling a case from the register. The order of picking is kept; the
 * lead (主办) can be any picked officer and is sent first.
 */
export function OfficerPicker({
  officers,
  selected,
  lead,
  onToggle,
  onLead,
  error,
}: {
  officers: readonly OfficerDto[];
  selected: readonly number[];
  lead: number | null;
  onToggle: (officerId: number, selected: boolean) => void;
  onLead: (officerId: number) => void;
  error?: FieldMessage | undefined;
}) {
  const { t } = useTranslation();
  return (
    <FieldGroup
      legend={t('caseForm.officers')}
      hint={t('caseForm.officersHint')}
      error={error}
      className="group--wide"
    >
      {officers.length === 0 ? (
        <p className="muted">{t('caseForm.noOfficers')}</p>
      ) : (
        <table className="table table--compact picker">
          <thead>
            <tr>
              <th scope="col">{t('officers.name')}</th>
              <th scope="col">{t('officers.certificateNo')}</th>
              <th scope="col">{t('officers.unit')}</th>
              <th scope="col">{t('caseForm.lead')}</th>
            </tr>
          </thead>
          <tbody>
            {officers.map((o) => {
              const index = selected.indexOf(o.id);
              const id = `officer-pick-${o.id}`;
              return (
                <tr key={o.id} className={index >= 0 ? 'is-selected' : undefined}>
                  <td>
                    <span className="check">
                      <input
                        id={id}
                        type="checkbox"
                        checked={index >= 0}
                        onChange={(e) => onToggle(o.id, e.target.checked)}
                      />
                      <label htmlFor={id}>{o.name}</label>
                    </span>
                  </td>
                  <td className="mono">{o.certificateNo}</td>
                  <td>{o.unit ?? t('common.none')}</td>
                  <td>
                    {index >= 0 ? (
                      <span className="check">
                        <input
                          type="radio"
                          name="lead-officer"
                          id={`${id}-lead`}
                          checked={lead === o.id}
                          onChange={() => onLead(o.id)}
                          aria-label={`${t('caseForm.setLead')}：${o.name}`}
                        />
                        <label htmlFor={`${id}-lead`} aria-hidden="true">
                          {lead === o.id ? t('caseForm.lead') : t('caseForm.setLead')}
                        </label>
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </FieldGroup>
  );
}
